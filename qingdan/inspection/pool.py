"""检查对象名录库 and 执法检查人员名录库: importing a department's inspectees from a CSV or XLSX
table, listing them, and the officers' declared conflicts of interest (回避).

The import checks the whole file before it writes anything: every bad row is reported by file,
row and column (all of them), and nothing is stored until the file is clean. The 统一社会信用代码
is checked by python-stdnum (GB 32100: length, characters, check digit). The same code twice in a
file is one inspectee when the rows agree or complete each other; rows that contradict each other
are an error naming both. An existing inspectee (same department and code) is updated; with
``replace`` the active inspectees the file does not name are moved out of the 名录库 (inactive).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from qingdan.catalog.currency import normalised
from qingdan.core.audit import log
from qingdan.core.models import Department
from qingdan.core.permissions import Actor, PermissionDenied
from qingdan.enforcement.models import Officer
from qingdan.errors import NotFound, QingdanError
from qingdan.ingest.problems import IngestError, Problem, fail
from qingdan.ingest.raw import Row, SourcePos, Table
from qingdan.ingest.readers import read_bytes, read_path_bytes
from qingdan.inspection import roles
from qingdan.inspection.models import Conflict, Inspectee

PAGE_SIZE = 50

# field → the column headings it is written under (the first is the one the docs name)
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "单位名称", "企业名称"),
    "uscc": ("统一社会信用代码", "信用代码"),
    "address": ("地址", "住所"),
    "industry": ("行业",),
    "risk": ("风险等级",),
    "category": ("监管类别", "类别"),
}
REQUIRED = ["name", "uscc", "risk"]
LABELS = {key: names[0] for key, names in COLUMNS.items()}
FIELDS = ["name", "address", "industry", "risk", "category"]

# 风险等级 as written in a file → A–D. The four classes of 企业信用风险分类管理 (A 低风险,
# B 一般风险, C 较高风险, D 高风险); "A级" and the words are accepted as well as the letters.
RISK_WORDS = {"低": "A", "一般": "B", "较高": "C", "高": "D"}
CATEGORY_WORDS = {"一般": Inspectee.GENERAL, "重点": Inspectee.KEY}
RISK_LABELS = dict(Inspectee.RISKS)
CATEGORY_LABELS = dict(Inspectee.CATEGORIES)


def _today() -> dt.date:
    return timezone.localdate()


# --- values ------------------------------------------------------------------------------------


def check_uscc(text: str) -> str:
    """The 统一社会信用代码 in its compact form (spaces dropped, upper case), or a Chinese refusal
    saying what is wrong: its length, a character, or the check digit."""
    code = "".join(str(text).split()).upper()
    if not code:
        raise QingdanError("统一社会信用代码不能为空")
    try:
        return str(stdnum_uscc.validate(code))
    except InvalidLength:
        raise QingdanError(f"统一社会信用代码「{code}」长度为 {len(code)} 位，应为 18 位") from None
    except InvalidChecksum:
        expected = stdnum_uscc.calc_check_digit(code[:17])
        raise QingdanError(
            f"统一社会信用代码「{code}」校验位错误：末位应为「{expected}」而不是「{code[-1]}」（GB 32100）"
        ) from None
    except ValidationError:
        raise QingdanError(
            f"统一社会信用代码「{code}」含有不允许的字符：前 8 位应为数字，其余为数字或除 I、O、Z、S、V 以外的大写字母"
        ) from None


def parse_risk(text: str) -> str:
    """A–D from "A", "a", "A级", "A类", "低", "低风险", "一般风险", "较高", "高" …"""
    value = "".join(text.split()).upper()
    for suffix in ("级", "类"):
        value = value.removesuffix(suffix)
    value = value.removesuffix("风险") or value
    if value in RISK_LABELS:
        return value
    if value in RISK_WORDS:
        return RISK_WORDS[value]
    for code, label in Inspectee.RISKS:  # the label as shown: A（低风险）
        if value == label.upper():
            return code
    raise QingdanError(f"风险等级「{text.strip()}」无效：应为 A、B、C、D（或 A级，或 低、一般、较高、高）")


def parse_category(text: str) -> str:
    """一般 or 重点 (also 一般监管对象, 重点监管 …); the caller treats blank as 一般."""
    value = "".join(text.split())
    for suffix in ("对象", "监管"):
        value = value.removesuffix(suffix)
    if value in CATEGORY_WORDS:
        return CATEGORY_WORDS[value]
    if value in CATEGORY_LABELS:
        return value
    raise QingdanError(f"监管类别「{text.strip()}」无效：应为 一般 或 重点（空白为一般）")


# --- reading the file --------------------------------------------------------------------------

Cells = dict[str, tuple[str, SourcePos]]


def read_rows(name: str, data: bytes) -> list[tuple[Row, Cells]]:
    """The table's data rows, each as {field: (text, position)}, after its heading row."""
    doc = read_bytes(name, data)
    for table in doc.tables():
        found = _heading(table)
        if found is None:
            continue
        index, columns = found
        missing = [LABELS[k] for k in REQUIRED if k not in columns]
        if missing:
            raise fail(
                table.rows[index].pos,
                f"表头缺少列：{'、'.join(missing)}",
                hint="需要的列：" + "、".join(LABELS[k] for k in REQUIRED),
            )
        rows = []
        for row in table.rows[index + 1 :]:
            if all(c.blank for c in row.cells):
                continue
            cells = {
                key: (row.cells[col].text if col < len(row.cells) else "", _pos(row, col))
                for key, col in columns.items()
            }
            rows.append((row, cells))
        return rows
    raise fail(
        SourcePos(name),
        "找不到检查对象名录的表头",
        hint="第一行应为列名：" + "、".join(LABELS[k] for k in COLUMNS),
    )


def _pos(row: Row, col: int) -> SourcePos:
    if col < len(row.cells):
        return row.cells[col].pos
    return SourcePos(row.pos.file, row.pos.row, col + 1, row.pos.sheet)


def _heading(table: Table) -> tuple[int, dict[str, int]] | None:
    """The heading row (within the first ten) and the column of each field it names."""
    lookup = {normalised(alias): key for key, aliases in COLUMNS.items() for alias in aliases}
    for index, row in enumerate(table.rows[:10]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(row.cells):
            key = lookup.get(normalised(cell.text))
            if key and key not in columns:
                columns[key] = col
        if "name" in columns or "uscc" in columns:
            return index, columns
    return None


def _number_hint(name: str, text: str) -> str:
    """Excel keeps a number to 15 digits: an all-digit code typed into a number cell loses its last
    places (911301850000000013 → 911301850000000000)."""
    code = "".join(text.split())
    if Path(name).suffix.lower() in {".xlsx", ".xlsm"} and code.isdigit() and len(code) >= 16:
        return "若该单元格在 Excel 中是数字格式，15 位以后的数字已丢失：请把该列设为文本后重新填写"
    return ""


# company names are registered with full-width brackets: 某某有限公司(分公司) is 某某有限公司（分公司）
NAME_BRACKETS = str.maketrans({"(": "（", ")": "）"})


TEXT_LENGTHS: dict[str, int] = {
    key: getattr(Inspectee._meta.get_field(key), "max_length", 0) for key in ("name", "address", "industry")
}


def _value(key: str, text: str) -> str:
    text = " ".join(text.split())
    longest = TEXT_LENGTHS.get(key, 0)
    if longest and len(text) > longest:
        raise QingdanError(f"「{LABELS[key]}」有 {len(text)} 个字，超过 {longest} 个字的上限")
    if key == "name":
        return text.translate(NAME_BRACKETS)
    if key == "risk":
        return parse_risk(text) if text else ""
    if key == "category":
        return parse_category(text) if text else ""
    return text


def _shown(key: str, value: str) -> str:
    if key == "risk":
        return value
    if key == "category":
        return CATEGORY_LABELS.get(value, value)
    return value


@dataclass
class _Entry:
    """One inspectee as the file describes it (several rows when the code repeats)."""

    uscc: str
    values: dict[str, str]
    rows: dict[str, int]  # field → the row its value came from
    merged: int = 0


def parse_file(name: str, data: bytes) -> list[_Entry]:
    """Every inspectee of the file, duplicates merged, or IngestError listing every bad row."""
    rows = read_rows(name, data)
    problems: list[Problem] = []
    entries: dict[str, _Entry] = {}
    for row, cells in rows:
        values: dict[str, str] = {}
        bad = False
        for key, (text, pos) in cells.items():
            if key == "uscc":
                continue
            try:
                values[key] = _value(key, text)
            except QingdanError as exc:
                problems.append(Problem(pos, exc.message, LABELS[key]))
                bad = True
        for key in ("name", "risk"):
            if key in cells and not cells[key][0].strip():
                problems.append(Problem(cells[key][1], f"「{LABELS[key]}」不能为空", LABELS[key]))
                bad = True
        text, pos = cells["uscc"]
        try:
            code = check_uscc(text)
        except QingdanError as exc:
            message = exc.message if text.strip() else "「统一社会信用代码」不能为空"
            problems.append(Problem(pos, message, LABELS["uscc"], _number_hint(name, text)))
            continue
        entry = entries.get(code)
        if entry is None:
            # a bad row too takes its place with what it says, so a later duplicate is compared
            entries[code] = _Entry(
                code, {k: v for k, v in values.items() if v}, {k: row.pos.row for k in values}
            )
            continue
        clash = False
        for key, value in values.items():
            old = entry.values.get(key, "")
            if value and old and value != old:
                problems.append(
                    Problem(
                        cells[key][1],
                        f"统一社会信用代码「{code}」在第 {entry.rows[key]} 行和第 {row.pos.row} 行的"
                        f"「{LABELS[key]}」不一致：「{_shown(key, old)}」与「{_shown(key, value)}」",
                        LABELS[key],
                    )
                )
                clash = True
        if not clash and not bad:
            for key, value in values.items():
                if value and not entry.values.get(key):
                    entry.values[key] = value
                    entry.rows[key] = row.pos.row
            entry.merged += 1
    problems.sort(key=lambda p: (p.pos.sheet, p.pos.row, p.pos.col))
    if problems:
        raise IngestError(problems)
    if not entries:
        raise fail(SourcePos(name), "表格中没有检查对象")
    return list(entries.values())


# --- the import --------------------------------------------------------------------------------


@dataclass
class PoolImport:
    source: str
    sha256: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    removed: int = 0

    def summary(self) -> str:
        text = (
            f"已导入 {self.source}：检查对象 {self.created + self.updated + self.unchanged} 个，"
            f"新增 {self.created} 个，更新 {self.updated} 个，未变 {self.unchanged} 个"
        )
        if self.merged:
            text += f"；{self.merged} 行与前面的行统一社会信用代码相同，已合并"
        if self.removed:
            text += f"；{self.removed} 个不在文件中的对象已移出名录库"
        return text + "。"

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sha256": self.sha256,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "merged": self.merged,
            "removed": self.removed,
            "summary": self.summary(),
        }


def import_inspectees(
    actor: Actor, department: Department, path: Path, *, replace: bool = False
) -> PoolImport:
    """Import the 名录库 file at ``path`` (CSV or XLSX): all of it or nothing."""
    roles.require_editor(actor, department, "导入检查对象名录库")
    return import_inspectee_bytes(actor, department, path.name, read_path_bytes(path), replace=replace)


def import_inspectee_bytes(
    actor: Actor, department: Department, name: str, data: bytes, *, replace: bool = False
) -> PoolImport:
    """The import from a file's bytes (the page's upload and the API's base64)."""
    roles.require_editor(actor, department, "导入检查对象名录库")
    entries = parse_file(name, data)
    result = PoolImport(source=name, sha256=hashlib.sha256(data).hexdigest())
    result.merged = sum(e.merged for e in entries)
    with transaction.atomic():
        existing = {
            i.uscc: i
            for i in Inspectee.objects.select_for_update().filter(department=department).order_by("pk")
        }
        created = []
        for entry in entries:
            wanted = {
                "name": entry.values["name"],
                "address": entry.values.get("address", ""),
                "industry": entry.values.get("industry", ""),
                "risk": entry.values["risk"],
                "category": entry.values.get("category") or Inspectee.GENERAL,
                "active": True,
            }
            found = existing.get(entry.uscc)
            if found is None:
                created.append(
                    Inspectee(
                        department=department,
                        uscc=entry.uscc,
                        source_name=name[:255],
                        updated_by_name=actor.name,
                        **wanted,
                    )
                )
                continue
            if all(getattr(found, k) == v for k, v in wanted.items()):
                result.unchanged += 1
                continue
            for key, value in wanted.items():
                setattr(found, key, value)
            found.source_name = name[:255]
            found.updated_by_name = actor.name
            found.save()
            result.updated += 1
        Inspectee.objects.bulk_create(created)
        result.created = len(created)
        if replace:
            named = {e.uscc for e in entries}
            gone = [i.pk for code, i in existing.items() if i.active and code not in named]
            result.removed = Inspectee.objects.filter(pk__in=gone).update(
                active=False, updated_by_name=actor.name, updated_at=timezone.now()
            )
        log(
            actor,
            "inspection_pool_import",
            department,
            after={**result.as_json(), "replace": replace},
        )
    return result


# --- reading the 名录库 -------------------------------------------------------------------------


def inspectee_json(item: Inspectee) -> dict[str, Any]:
    return {
        "id": item.pk,
        "uscc": item.uscc,
        "name": item.name,
        "address": item.address,
        "industry": item.industry,
        "risk": item.risk,
        "risk_label": RISK_LABELS[item.risk],
        "category": item.category,
        "category_label": CATEGORY_LABELS[item.category],
        "active": item.active,
        "source": item.source_name,
        "updated_by": item.updated_by_name,
    }


def inspectee_list(
    actor: Actor, department: Department, *, risk: str = "", category: str = "", page: int = 1
) -> dict[str, Any]:
    """The department's active inspectees (by 统一社会信用代码), 50 a page, by risk or category."""
    roles.require_see(actor, department)
    rows = Inspectee.objects.filter(department=department, active=True)
    if risk:
        rows = rows.filter(risk=parse_risk(risk))
    if category:
        rows = rows.filter(category=parse_category(category))
    count = rows.count()
    pages = max(1, math.ceil(count / PAGE_SIZE))
    page = min(max(1, page), pages)
    chunk = rows.order_by("uscc")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return {
        "department": department.name,
        "count": count,
        "inactive": Inspectee.objects.filter(department=department, active=False).count(),
        "page": page,
        "pages": pages,
        "inspectees": [inspectee_json(i) for i in chunk],
    }


# --- 执法检查人员名录库 and 回避 -----------------------------------------------------------------


def officer_named(department: Department, ref: str) -> Officer:
    """An officer of the department by id, 执法证号 or name (as the case steps find them)."""
    from qingdan.cases import steps

    return steps.officer_named(department, ref)


def _declarant(
    actor: Actor, department: Department, officer: Officer | None, day: dt.date, what: str
) -> Officer:
    """The officer a 回避 is declared for: the actor themselves (certified on ``day``), or — by a
    执法科室负责人, 主管局长 or 主要负责人 — the officer they name."""
    if officer is not None and officer.department_id != department.pk:
        raise QingdanError(f"{officer.name}不是{department.name}的执法人员")
    if officer is not None and roles.is_lead(actor, department):
        return officer
    try:
        own = roles.acting_inspector(actor, department, day)
    except PermissionDenied:
        if officer is not None:
            roles.require_lead(actor, department, f"代{officer.name}{what}")
        raise PermissionDenied(
            f"只有{department.name}的执法人员本人（或{roles.LEAD_LABEL}代为）可以{what}（{actor}不是）。"
        ) from None
    if officer is not None and officer.pk != own.pk:
        roles.require_lead(actor, department, f"代{officer.name}{what}")
    return own


def own_officer_id(actor: Actor, department: Department) -> int | None:
    """The officer the actor is bound to as 执法人员 in ``department`` (the roster page offers them
    the 回避 form), whatever their certificate says today — the service decides that."""
    from qingdan.cases.models import CaseRole

    if actor.user is None:
        return None
    binding = (
        CaseRole.objects.filter(user=actor.user, department=department, role=CaseRole.OFFICER)
        .exclude(officer=None)
        .first()
    )
    return binding.officer_id if binding else None


def conflict_json(conflict: Conflict, names: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "uscc": conflict.uscc,
        "name": (names or {}).get(conflict.uscc, ""),
        "reason": conflict.reason,
        "declared_on": conflict.declared_on.isoformat(),
        "declared_by": conflict.declared_by_name,
    }


def declare_conflict(
    actor: Actor,
    department: Department,
    uscc: str,
    reason: str,
    on: dt.date | None = None,
    *,
    officer: Officer | None = None,
) -> Conflict:
    """回避: the officer declares a conflict of interest with an inspectee (by its code)."""
    day = on or _today()
    code = check_uscc(uscc)
    reason = reason.strip()
    if not reason:
        raise QingdanError("请写明回避事由")
    with transaction.atomic():
        who = _declarant(actor, department, officer, day, "申报回避")
        who = Officer.objects.select_for_update().get(pk=who.pk)
        if Conflict.objects.filter(officer=who, uscc=code).exists():
            raise QingdanError(f"{who.name}已申报回避统一社会信用代码为 {code} 的检查对象")
        conflict = Conflict.objects.create(
            officer=who, uscc=code, reason=reason, declared_on=day, declared_by_name=actor.name
        )
        log(
            actor,
            "inspection_conflict_declare",
            who,
            after={"officer": who.name, "uscc": code, "reason": reason, "declared_on": day.isoformat()},
        )
    return conflict


def withdraw_conflict(
    actor: Actor,
    department: Department,
    uscc: str,
    on: dt.date | None = None,
    *,
    officer: Officer | None = None,
) -> None:
    """Withdraw a declared 回避 (plans already committed keep the conflicts they froze)."""
    day = on or _today()
    code = check_uscc(uscc)
    with transaction.atomic():
        who = _declarant(actor, department, officer, day, "撤回回避申报")
        found = Conflict.objects.select_for_update().filter(officer=who, uscc=code).first()
        if found is None:
            raise NotFound(f"{who.name}没有申报回避统一社会信用代码为 {code} 的检查对象")
        before = {
            "officer": who.name,
            "uscc": code,
            "reason": found.reason,
            "declared_on": found.declared_on.isoformat(),
        }
        found.delete()
        log(actor, "inspection_conflict_withdraw", who, before=before)


def roster(department: Department, day: dt.date | None = None) -> dict[str, Any]:
    """执法检查人员名录库 on ``day``: the department's officers, whether each holds a 执法证 valid
    that day (and so may be drawn), and the conflicts they declared."""
    day = day or _today()
    officers = list(
        Officer.objects.filter(department=department).order_by("certificate_number", "name", "pk")
    )
    conflicts: dict[int, list[Conflict]] = {}
    for c in Conflict.objects.filter(officer__in=officers).order_by("uscc"):
        conflicts.setdefault(c.officer_id, []).append(c)
    codes = {c.uscc for found in conflicts.values() for c in found}
    names = dict(Inspectee.objects.filter(department=department, uscc__in=codes).values_list("uscc", "name"))
    rows = []
    for o in officers:
        rows.append(
            {
                "id": o.pk,
                "name": o.name,
                "unit": o.unit,
                "certificate_number": o.certificate_number,
                "valid_from": o.valid_from.isoformat() if o.valid_from else None,
                "valid_until": o.valid_until.isoformat() if o.valid_until else None,
                "status": o.status,
                "status_label": o.get_status_display(),
                "certified": o.certified_on(day),
                "conflicts": [conflict_json(c, names) for c in conflicts.get(o.pk, [])],
            }
        )
    return {
        "department": department.name,
        "on": day.isoformat(),
        "certified": sum(r["certified"] for r in rows),
        "officers": rows,
    }


def roster_for(actor: Actor, department: Department, day: dt.date | None = None) -> dict[str, Any]:
    """The roster for someone who may see the department's inspection work."""
    roles.require_see(actor, department)
    return roster(department, day)
