"""Hostile and unusual files: each is a clear Chinese refusal or a correct import, never a
traceback, and costs time in proportion to its size (issue #10, section 2)."""

from __future__ import annotations

import contextlib
import json
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from qingdan.catalog.models import ListVersion, PowerItem
from qingdan.catalog.services import import_list
from qingdan.ingest import load_bytes
from qingdan.ingest.problems import IngestError
from qingdan.ingest.readers.tabular import clean_cell

ROOT = Path(__file__).resolve().parent.parent
POWER_LIST = ROOT / "examples" / "demo" / "青山县行政审批服务局权力清单.json"


@contextlib.contextmanager
def cut_off_after(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: the quadratic versions of these took minutes, the linear ones
    take milliseconds, so the margin is a hundredfold either way (not a timing assertion)."""

    def stop(*_: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: not linear")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def power_list(**changes: str) -> bytes:
    """The demo power list (a platform export) with the first item's fields changed."""
    doc = json.loads(POWER_LIST.read_text(encoding="utf-8"))
    doc["data"]["list"][0].update(changes)
    return json.dumps(doc, ensure_ascii=True).encode()


def refuse(name: str, data: bytes) -> str:
    with pytest.raises(IngestError) as exc:
        load_bytes(name, data)
    message = str(exc.value)
    assert message.startswith(f"「{name}」")
    return message


# --- JSON that breaks the parser or the database ---------------------------------------------


@pytest.mark.parametrize("name", ["深.json", "深.jsonl"])
def test_it_refuses_json_nested_thousands_deep(name):
    data = b"[" * 5000 + b"]" * 5000
    assert "JSON 嵌套层数过多" in refuse(name, data)


def test_it_refuses_a_qingdan_document_nested_thousands_deep():
    data = b'{"format": "qingdan/1", "department": "x", "duties": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    assert "JSON 嵌套层数过多" in refuse("深.json", data)


def test_it_refuses_a_lone_surrogate_naming_where_it_is():
    message = refuse("权力清单.json", power_list(事项名称="食品\ud800经营许可"))
    assert "U+D800" in message and "孤立的代理项" in message and "list[0].事项名称" in message


def test_it_refuses_a_lone_surrogate_in_a_qingdan_document():
    data = b'{"format": "qingdan/1", "department": "\\udfff", "jurisdiction": "x"}'
    assert "U+DFFF" in refuse("清单.json", data)


@pytest.mark.django_db
def test_it_drops_nul_characters_on_every_database():
    """SQLite would store "\\x00"; PostgreSQL refuses it with a DataError. Both store the text
    without it."""
    data = power_list(事项名称="食品\x00经营许可", 承办机构="市场准入\x00审批股")
    loaded = load_bytes("权力清单.json", data, department="青山县行政审批服务局")
    import_list(loaded.record)
    names = set(PowerItem.objects.values_list("name", flat=True))
    assert "食品经营许可" in names
    assert ListVersion.objects.count() == 1


def test_it_drops_nul_characters_far_into_a_text_file(seed_bytes):
    name, data = seed_bytes("000")
    at = data.index("技术合同".encode()) + 6000
    loaded = load_bytes(
        name, data[:at] + b"\x00" + data[at:], department="石家庄市鹿泉区科学技术和工业信息化局"
    )
    texts = [t.text for d in loaded.record.duties for t in d.tasks] + [d.text for d in loaded.record.duties]
    assert not any("\x00" in t for t in texts)


# --- cleaning is linear in the size of a cell ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        " " * 200_000 + "x",
        "\u3000" * 200_000 + "<x",
        " " * 200_000 + "<br" + " " * 200_000,
        "<p " * 100_000,
    ],
)
def test_cleaning_a_cell_is_linear(text):
    with cut_off_after(10):
        cleaned = clean_cell(text)
    assert len(cleaned) <= len(text)


def test_cleaning_keeps_line_breaks_and_strips_the_space_around_them():
    assert clean_cell("甲 <br/> <br>  乙&nbsp;</p><p>丙  \n丁") == "甲\n乙\n丙\n丁"
    assert clean_cell("  <br>甲<br>  ") == "甲"


def test_a_csv_with_three_cells_of_a_hundred_thousand_spaces_is_read_quickly():
    spaces = " " * 120_000
    data = f"事项名称,事项类型,实施主体,承办机构\n{spaces}许可,{spaces}行政许可,某县科技局,{spaces}办公室\n"
    with cut_off_after(10):
        loaded = load_bytes("权力清单.csv", data.encode())
    assert loaded.record.powers[0].name == "许可"


def test_a_jsonl_cell_of_200_kb_is_read_quickly():
    hostile = " \n" * 50_000 + "（" * 50_000 + "委托"
    line = {
        "事项名称": "许可",
        "事项类型": "行政许可",
        "实施主体": hostile,
        "承办机构": hostile,
        "监督电话": hostile,
    }
    with cut_off_after(10), contextlib.suppress(IngestError):
        load_bytes("权力清单.jsonl", json.dumps(line, ensure_ascii=False).encode())


def test_a_supervision_heading_full_of_spaces_is_read_quickly():
    from qingdan.ingest.supervision import part_fields

    with cut_off_after(10):
        assert part_fields(" " * 100_000 + "监督方式") == []
    assert part_fields("（三）监督检查方式及程序") == ["methods", "procedure"]


# --- rich markup in the data ------------------------------------------------------------------

MARKUP_LIST = {
    "format": "qingdan/1",
    "department": "标记[/bold]县科学技术局",
    "jurisdiction": "标记[/bold]县",
    "units": [{"name": "办公室[/]", "phones": ["[red]0731-1234567"]}],
    "duties": [{"no": "1", "text": "职责[/i]", "tasks": [{"text": "事项[bold]", "units": ["办公室[/]"]}]}],
}


@pytest.mark.django_db
def test_names_that_look_like_rich_markup_are_printed_as_written(tmp_path):
    from click.testing import CliRunner

    from qingdan.cli import main

    path = tmp_path / "标记.json"
    path.write_text(json.dumps(MARKUP_LIST, ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    for args in (["import", "--dry-run", str(path)], ["import", str(path)], ["list"], ["show", "标记"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output, result.exception)
        assert "标记[/bold]" in result.output  # the list's table may cut the rest to fit
    assert "办公室[/]" in result.output and "事项[bold]" in result.output and "职责[/i]" in result.output


# --- messages that said the wrong thing -------------------------------------------------------


def test_a_csv_cell_over_131072_characters_is_read_not_called_an_unclosed_quote():
    long = "依据" * 70_000
    data = f'事项名称,事项类型,实施主体,设定依据\n许可,行政许可,某县科技局,"{long}"\n'.encode()
    loaded = load_bytes("权力清单.csv", data)
    assert loaded.record.powers[0].basis == long


def test_a_device_is_not_called_an_empty_file():
    from qingdan.ingest.readers import read_path_bytes

    with pytest.raises(IngestError) as exc:
        read_path_bytes(Path("/dev/zero"))
    assert "不是普通文件" in str(exc.value) and "文件是空的" not in str(exc.value)


@pytest.mark.django_db
def test_an_empty_directory_is_reported(tmp_path):
    from click.testing import CliRunner

    from qingdan.cli import main

    result = CliRunner().invoke(main, ["import", str(tmp_path)])
    assert result.exit_code == 1
    assert "中没有可导入的文件" in result.output


# --- who may make the server read a file, and for how long ------------------------------------

NOT_A_LIST = b"[" * 5000  # parsing it would say so: the refusal must come first, from permission


@pytest.mark.django_db
def test_the_web_import_checks_permission_before_reading_the_file(staff, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.login(username="filler_other", password=staff["password"]("filler_other"))
    upload = SimpleUploadedFile("深.json", NOT_A_LIST)
    response = client.post(f"/work/d/{staff['department'].pk}/import", {"file": upload}, follow=True)
    text = response.content.decode()
    assert "无权修改" in text and "嵌套" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["draft", "imports"])
def test_the_api_import_checks_permission_before_reading_the_file(staff, client, where):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qingdan.core.accounts import create_token
    from qingdan.core.permissions import COMMAND_LINE

    token = create_token(COMMAND_LINE, "filler_other")
    url = (
        f"/api/v1/departments/{staff['department'].pk}/draft/import"
        if where == "draft"
        else "/api/v1/imports"
    )
    upload = SimpleUploadedFile("深.json", NOT_A_LIST)
    response = client.post(url, {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    text = response.content.decode()
    assert "无权" in text and "嵌套" not in text


def test_reading_stops_at_the_parse_time_limit(settings, seed_bytes):
    settings.QINGDAN_PARSE_SECONDS = 0.001
    name, data = seed_bytes("000")
    with pytest.raises(IngestError) as exc:
        load_bytes(name, data, department="石家庄市鹿泉区科学技术和工业信息化局")
    assert "读取时间超过上限" in str(exc.value) and "QINGDAN_PARSE_SECONDS" in str(exc.value)


# --- a list larger than SQLite's limit on bound parameters ------------------------------------


def big_list(tasks: int) -> bytes:
    duties = [
        {
            "no": str(d),
            "text": f"职责{d}",
            "tasks": [{"text": f"事项{d}-{t}", "units": ["办公室"]} for t in range(tasks // 3)],
        }
        for d in range(1, 4)
    ]
    doc = {
        "format": "qingdan/1",
        "department": "大清单县科学技术局",
        "jurisdiction": "大清单县",
        "duties": duties,
    }
    return json.dumps(doc, ensure_ascii=False).encode()


@contextlib.contextmanager
def sqlite_variable_limit(limit: int) -> Iterator[None]:
    """Lower this connection's real SQLITE_LIMIT_VARIABLE_NUMBER, as old SQLite builds have it (999),
    so that a list of a few thousand items reaches it the way 345,000 items reach 250,000."""
    import sqlite3

    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the limit on bound parameters is SQLite's")
    connection.ensure_connection()
    raw = connection.connection
    previous = raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    try:
        yield
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, previous)


@pytest.mark.django_db
def test_a_list_over_the_parameter_limit_can_be_shown_exported_and_indexed(client):
    from qingdan.catalog.exports import export_record
    from qingdan.catalog.services import record_of
    from qingdan.search.documents import documents_of

    with sqlite_variable_limit(999):
        import_list(load_bytes("大清单.json", big_list(1500)).record)
        version = ListVersion.objects.get()
        record = record_of(version)
        assert sum(len(d.tasks) for d in record.duties) == 1500
        assert record.duties[0].tasks[0].units == ["办公室"]
        assert export_record(record, "csv")
        assert sum(1 for _ in documents_of(version)) >= 1500
        response = client.get(f"/d/{version.department_id}/")
        assert response.status_code == 200


@pytest.mark.django_db
def test_a_list_over_the_item_limit_is_refused_before_anything_is_written(settings):
    from qingdan.errors import QingdanError

    settings.QINGDAN_MAX_LIST_ITEMS = 1000
    with pytest.raises(QingdanError) as exc:
        import_list(load_bytes("大清单.json", big_list(1500)).record, "大清单.json")
    assert (
        "超过一份清单的上限 1,000 项" in exc.value.message and "QINGDAN_MAX_LIST_ITEMS" in exc.value.message
    )
    assert ListVersion.objects.count() == 0


# --- a full disk ------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A real 6 MB file system (tmpfs) as the data directory — room for the schema (the migrations
    leave ~3 MB of database and WAL since #13), then filled by ``fill``; needs root, skipped otherwise."""
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def qingdan(data_dir: Path, *args: str) -> tuple[int, str]:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "QINGDAN_DATABASE_URL"}
    command = [sys.executable, "-m", "qingdan.cli", "--data-dir", str(data_dir), *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    return done.returncode, done.stdout + done.stderr


def fill(disk: Path, keep_kb: int) -> Path:
    import os

    stat = os.statvfs(disk)
    filler = disk / "filler"
    filler.write_bytes(b"\0" * max(stat.f_bavail * stat.f_frsize - keep_kb * 1024, 0))
    return filler


@pytest.mark.slow
@pytest.mark.parametrize("keep_kb", [60, 150, 300])
def test_a_full_disk_is_reported_and_nothing_is_half_written(small_disk, seed_bytes, keep_kb):
    name, data = seed_bytes("002")
    source = small_disk.parent / name
    source.write_bytes(data)
    assert qingdan(small_disk, "list")[0] == 0  # the schema, before the disk fills
    filler = fill(small_disk, keep_kb)
    code, output = qingdan(small_disk, "import", str(source))
    filler.unlink()
    assert "Traceback" not in output, output
    stored = json.loads(qingdan(small_disk, "list", "--json")[1])["departments"]
    if "未导入" in output:
        assert code == 1 and "磁盘空间已满" in output and stored == []
    else:
        assert stored and stored[0]["tasks"] == 72  # the whole list, or nothing
        if code:
            assert "qingdan reindex" in output
    assert qingdan(small_disk, "reindex")[0] == 0


def test_the_parse_time_limit_leaves_a_callers_own_timer_running(seed_bytes):
    with cut_off_after(30):
        load_bytes(*seed_bytes("002"))
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
