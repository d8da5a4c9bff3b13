"""Everything the command line says is Chinese: click's own usage and error words, operating-system
errors, the audit log's actions and values, and a check's title next to its id."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from qingdan.cli import main
from qingdan.core.audit_text import describe
from qingdan.errors import os_error_text

# click's English, as it printed it before: none of it may be left
ENGLISH = re.compile(
    r"Usage|Error|Try '|for help|Missing|No such|Show this|Show the|Options|Commands|"
    r"version \d|Invalid value|is not|does not|Aborted|required|default:|TEXT|INTEGER|"
    r"DIRECTORY|PATH|FILE|COMMAND|ARGS|OPTIONS|DEPARTMENT|USERNAME|No such file|Permission denied"
)

MISTAKES = [
    ["--help"],
    ["--version"],
    ["import"],
    ["nosuchcmd"],
    ["impor"],
    ["import", "--bogus"],
    ["import", "--help"],
    ["show", "--help"],
    ["search", "--limit", "x", "y"],
    ["export", "x", "--format", "z"],
    ["serve", "--port"],
    ["restore", "/no/such/backup.sqlite3"],
    ["succession", "--help"],
    ["audit", "--help"],
    ["createuser"],
    ["return", "x"],
]


@pytest.mark.django_db
@pytest.mark.parametrize("args", MISTAKES, ids=" ".join)
def test_click_speaks_chinese(args):
    result = CliRunner().invoke(main, args)
    assert result.output.strip()
    assert ENGLISH.findall(result.output) == [], result.output


@pytest.mark.django_db
def test_the_usage_line_names_things_in_chinese():
    output = CliRunner().invoke(main, ["import"], prog_name="qingdan").output
    assert output.startswith("用法： qingdan import [选项] 文件或目录...")
    assert "用「qingdan import --help」查看帮助" in output and "错误：缺少参数 '文件或目录...'" in output
    assert "没有命令 'nosuchcmd'" in CliRunner().invoke(main, ["nosuchcmd"]).output
    assert " 版本 " in CliRunner().invoke(main, ["--version"]).output


@pytest.mark.django_db
def test_os_errors_are_chinese(tmp_path, staff):
    missing = CliRunner().invoke(main, ["import", str(tmp_path / "没有的文件.txt")])
    assert "找不到文件或目录" in missing.output and "No such file" not in missing.output
    out = tmp_path / "no" / "dir" / "out.json"
    export = CliRunner().invoke(main, ["export", "湘阴县科技局", "-o", str(out)])
    assert export.exit_code == 1 and f"找不到文件或目录：{out}" in export.output, export.output
    assert "Traceback" not in export.output


def test_os_error_text():
    assert os_error_text(PermissionError(13, "Permission denied", "/etc/x")) == "没有权限：/etc/x"
    assert os_error_text(FileNotFoundError(2, "No such file or directory")) == "找不到文件或目录"
    assert os_error_text(OSError(1234, "odd")) == "操作系统错误"


def test_audit_values_read_in_chinese():
    assert (
        describe({"role": "filler", "department": "湘阴县科技局"}) == "角色：部门填报员；部门：湘阴县科技局"
    )
    edit = {"op": "add", "path": "duties[2].tasks", "item": {"text": "新职责", "units": ["办公室"]}}
    assert (
        describe(edit) == "操作：新增；位置：第 3 项主要职责 › 具体工作事项；内容：内容：新职责；科室：办公室"
    )
    review = {"stage": "legal", "status": "approval_review", "comment": "同意"}
    assert describe(review) == "审核环节：法制审核；状态：待编办审核；意见：同意"
    assert (
        describe({"rename": True, "fields": ["first_name", "is_active"]})
        == "更名：是；修改的字段：名字、有效"
    )


@pytest.mark.django_db
def test_the_audit_list_and_page_show_chinese_labels(staff, client):
    from django.contrib.auth import get_user_model

    result = CliRunner().invoke(main, ["audit", "list", "--limit", "3"])
    assert result.exit_code == 0 and "新建用户 用户「admin」" in result.output, result.output
    assert "修改后：角色：系统管理员" in result.output and "createuser" not in result.output
    client.force_login(get_user_model().objects.get(username="admin"))
    page = client.get("/work/audit/").content.decode()
    assert "角色：部门填报员" in page and "'role'" not in page
    admin_page = client.get("/admin/core/auditentry/").content.decode()
    assert "新建用户" in admin_page and "角色：系统管理员" in admin_page
    refused = CliRunner().invoke(main, ["--user", "filler", "audit", "list"])
    assert refused.exit_code == 1 and "无权查看审计日志" in refused.output
