"""`qingdan cases …`: thin, over ``services`` (through ``steps``) and ``views_data``.

Every step is run as the user named by the root option ``--user``: the command line acting as
the administrator takes no step in a case.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click


def _cli() -> Any:
    from qingdan import cli

    return cli


@click.group("cases")
def cases_group() -> None:
    """行政处罚案件：登记、办案步骤、查看、案件角色与案件规则（以 --user 指定办理人）。"""


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@cases_group.command("list")
@click.argument("department")
@click.option("--stage", default="", help="只列出某一阶段（如 investigating、deciding）。")
@click.option("--page", default=1, type=int, show_default=True, help="页码（每页 50 件）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def list_command(department: str, stage: str, page: int, as_json: bool) -> None:
    """列出部门的案件（按登记时间倒序，分页）。"""

    def run() -> None:
        from qingdan.cases.summary import case_list
        from qingdan.catalog.services import find_department

        data = case_list(_cli()._actor(), find_department(department), stage=stage, page=page)
        if as_json:
            _echo_json(data)
            return
        click.echo(f"{data['department']}：共 {data['count']} 件（第 {data['page']}/{data['pages']} 页）")
        for row in data["cases"]:
            overdue = f"  逾期 {row['overdue']} 项" if row["overdue"] else ""
            click.echo(
                f"{row['id']:>6}  {row['number'] or '（未立案）':<20} {row['stage_label']:<6} {row['title']}{overdue}"
            )

    _cli()._handle_errors(run)()


@cases_group.command("show")
@click.argument("case")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def show_command(case: str, as_json: bool) -> None:
    """显示一件案件：当事人、阶段、承办人员、办理记录、期限（含依据）。CASE 为编号或案号。"""

    def run() -> None:
        from qingdan.cases.steps import find_case
        from qingdan.cases.summary import case_detail

        data = case_detail(_cli()._actor(), find_case(case))
        if as_json:
            _echo_json(data)
            return
        click.echo(f"{data['number'] or '（未立案）'}  {data['title']}  [{data['stage_label']}]")
        click.echo(f"当事人：{data['party_name']}    承办科室：{data['unit']}")
        for officer in data["officers"]:
            click.echo(f"  {officer['role_label']}：{officer['name']}（{officer['certificate_number']}）")
        click.echo("办理记录：")
        for action in data["actions"]:
            opinion = f"：{action['opinion']}" if action["opinion"] else ""
            click.echo(f"  {action['on']}  {action['label']}  {action['actor']}{opinion}")
        click.echo("期限：")
        for item in data["deadlines"]:
            mark = "（不确定）" if item["uncertain"] else ""
            click.echo(
                f"  {item['label']}  到期 {item['due']}{mark}  {item['status_label']}  依据：{item['basis']}"
            )
            for warning in item["warnings"]:
                click.echo(f"    ！{warning}", err=True)
        if data["next_steps"]:
            click.echo("可办理的步骤：" + "、".join(f"{m}（{label}）" for m, label in data["next_steps"]))

    _cli()._handle_errors(run)()


@cases_group.command("open")
@click.argument("department")
@click.option("--title", required=True, help="案由。")
@click.option(
    "--source",
    required=True,
    type=click.Choice(["inspection", "complaint", "assigned", "transfer", "random", "other"]),
    help="案件来源：检查发现、投诉举报、上级交办、移送、双随机抽查、其他。",
)
@click.option("--occurred-on", required=True, help="案发日期（立案期限自此起算）。")
@click.option("--party", required=True, help="当事人名称或姓名。")
@click.option(
    "--party-kind",
    type=click.Choice(["person", "organisation"]),
    default="organisation",
    show_default=True,
    help="当事人类型：公民或法人、其他组织。",
)
@click.option("--party-id", default="", help="身份证号或统一社会信用代码。")
@click.option("--party-address", default="", help="当事人地址。")
@click.option(
    "--inspector", "inspectors", multiple=True, required=True, help="检查人员（执法证号或姓名），至少两人。"
)
@click.option("--unit", default="", help="承办科室（默认为登记人的科室）。")
@click.option("--simple", is_flag=True, help="按简易程序（当场处罚）办理。")
def open_command(
    department: str,
    title: str,
    source: str,
    occurred_on: str,
    party: str,
    party_kind: str,
    party_id: str,
    party_address: str,
    inspectors: tuple[str, ...],
    unit: str,
    simple: bool,
) -> None:
    """登记案件线索（发现）：由本部门的执法人员以 --user 登记。"""

    def run() -> None:
        from qingdan.cases.services import open_case
        from qingdan.cases.steps import convert_date, officer_named
        from qingdan.catalog.services import find_department

        dept = find_department(department)
        case = open_case(
            _cli()._actor(),
            dept,
            title=title,
            source=source,
            occurred_on=convert_date(occurred_on, "occurred-on"),
            party_kind=party_kind,
            party_name=party,
            party_id_number=party_id,
            party_address=party_address,
            inspectors=[officer_named(dept, ref) for ref in inspectors],
            unit=unit,
            procedure_kind="simple" if simple else "general",
        )
        click.echo(f"已登记案件 {case.pk}：{case.title}（{case.get_procedure_display()}）")

    _cli()._handle_errors(run)()


@cases_group.command("do")
@click.argument("case")
@click.argument("step")
@click.option("-p", "--param", "params", multiple=True, metavar="名称=值", help="步骤的参数，可重复。")
@click.option(
    "--file", "file", type=click.Path(dir_okay=False, path_type=Path), help="证据文件（add_evidence）。"
)
def do_command(case: str, step: str, params: tuple[str, ...], file: Path | None) -> None:
    """办理一个步骤，如 `qingdan --user head cases do 3 approve_filing -p opinion=同意立案`。
    `qingdan cases steps` 列出全部步骤及其参数。"""

    def run() -> None:
        from qingdan.cases.states import MOVE_LABELS
        from qingdan.cases.steps import find_case
        from qingdan.cases.steps import run as run_step
        from qingdan.errors import QingdanError

        values: dict[str, str] = {}
        for item in params:
            name, sep, value = item.partition("=")
            if not sep:
                raise QingdanError(f"参数「{item}」须写成 名称=值")
            values[name.strip()] = value
        content = file.read_bytes() if file else b""
        found = find_case(case)
        run_step(_cli()._actor(), found, step, values, content=content, file_name=file.name if file else "")
        found.refresh_from_db()
        click.echo(
            f"{MOVE_LABELS.get(step, step)}：已办理。案件 {found.number or found.pk} 现处于「{found.stage_label}」阶段。"
        )

    _cli()._handle_errors(run)()


@cases_group.command("steps")
def steps_command() -> None:
    """列出全部办案步骤及其参数。"""
    from qingdan.cases.states import MOVE_LABELS
    from qingdan.cases.steps import STEPS, describe

    for move in STEPS:
        click.echo(f"{move}（{MOVE_LABELS[move]}）：{describe(move) or '无参数'}")


@cases_group.command("role")
@click.argument("department")
@click.argument("username")
@click.argument("role", type=click.Choice(["officer", "unit_head", "deputy", "head", "legal"]))
@click.option("--officer", default="", help="对应的执法人员（执法证号或姓名）：执法人员和法制审核人员必填。")
@click.option("--unit", default="", help="执法科室负责人所负责的科室。")
@click.option("--remove", is_flag=True, help="取消该角色。")
def role_command(department: str, username: str, role: str, officer: str, unit: str, remove: bool) -> None:
    """设定案件角色（系统管理员）：执法人员、执法科室负责人、主管局长、主要负责人、法制审核人员。"""

    def run() -> None:
        from django.contrib.auth import get_user_model

        from qingdan.cases.models import CaseRole
        from qingdan.cases.roles import assign_role, remove_role
        from qingdan.cases.steps import officer_named
        from qingdan.catalog.services import find_department
        from qingdan.errors import QingdanError

        dept = find_department(department)
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise QingdanError(f"没有用户「{username}」")
        if remove:
            binding = CaseRole.objects.filter(department=dept, user=user, role=role).first()
            if binding is None:
                raise QingdanError(f"{username}在{dept}没有该案件角色")
            remove_role(_cli()._actor(), binding)
            click.echo(f"已取消 {username} 的案件角色。")
            return
        found = officer_named(dept, officer) if officer else None
        binding = assign_role(_cli()._actor(), dept, user, role, unit=unit, officer=found)
        click.echo(f"已设定：{binding}")

    _cli()._handle_errors(run)()


@cases_group.command("rules")
@click.argument("department")
@click.option(
    "--set",
    "pairs",
    multiple=True,
    metavar="名称=值",
    help="如 number_prefix=鹿工信罚、filing_rule=amr-filing。",
)
def rules_command(department: str, pairs: tuple[str, ...]) -> None:
    """查看或修改部门的案件规则（案号字头与格式、立案期限规则、较大数额、重大案件数额）。"""

    def run() -> None:
        from qingdan.cases.models import CaseRules
        from qingdan.cases.services import save_rules
        from qingdan.catalog.services import find_department
        from qingdan.errors import QingdanError

        dept = find_department(department)
        if pairs:
            fields: dict[str, Any] = {}
            for pair in pairs:
                name, sep, value = pair.partition("=")
                if not sep:
                    raise QingdanError(f"「{pair}」须写成 名称=值")
                fields[name.strip()] = (
                    value.strip()
                    if name.strip() != "legal_review_all"
                    else value.strip() in ("1", "是", "true")
                )
            save_rules(_cli()._actor(), dept, **fields)
        rules = CaseRules.objects.filter(department=dept).first()
        if rules is None:
            click.echo(f"{dept}尚未设定案件规则，使用默认值。")
            return
        for f in CaseRules._meta.get_fields():
            label = getattr(f, "verbose_name", None)
            if label and f.name not in ("id", "department"):
                click.echo(f"{label}（{f.name}）：{getattr(rules, f.name)}")

    _cli()._handle_errors(run)()


@cases_group.command("report-filed")
@click.argument("department")
@click.option("--year", type=int, required=True, help="年度，如 2026。")
@click.option("--half", type=click.IntRange(1, 2), required=True, help="1 = 上半年，2 = 下半年。")
@click.option("--on", "on", default="", help="报送日期（默认今天）。")
def report_filed_command(department: str, year: int, half: int, on: str) -> None:
    """登记半年度重大行政处罚决定备案报告已报送（主要负责人或法制审核人员），完成该项期限。"""

    def run() -> None:
        from qingdan.cases.services import file_major_report
        from qingdan.cases.steps import convert_date
        from qingdan.catalog.services import find_department

        day = convert_date(on, "on") if on else None
        deadline = file_major_report(
            _cli()._actor(), find_department(department), year=year, half=half, on=day
        )
        click.echo(f"{deadline.label}：{deadline.get_status_display()}（{deadline.done_on:%Y-%m-%d} 报送）")

    _cli()._handle_errors(run)()
