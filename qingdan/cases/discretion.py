"""行政处罚裁量基准: import a department's published standards table, propose an amount for a
case, and say when a decided amount leaves the range.

The table is read as departments publish it (CSV or XLSX): one violation over several rows, one
row per circumstance, the violation's cells merged down (or left blank in a CSV export). Every
bad row is named by file, row and column and nothing is stored until the file is clean; a
re-import replaces the department's standards in one transaction, keeping each standard (and
the cases that refer to it) by its 编号.

The decide service (``qingdan.cases.services``) asks ``outside_range``: when it returns a
message, the decision needs a written reason and goes to 法制审核.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from qingdan.cases.amounts import Penalty, parse_penalty, range_text
from qingdan.cases.models import DiscretionLevel, DiscretionStandard, PenaltyCase
from qingdan.catalog.currency import current_version, normalised
from qingdan.catalog.models import PowerItem
from qingdan.core.audit import log
from qingdan.core.models import Department
from qingdan.core.permissions import Actor, can_edit, require
from qingdan.errors import QingdanError
from qingdan.ingest.layouts import Column, normalize_header
from qingdan.ingest.problems import IngestError, Problem, fail
from qingdan.ingest.raw import Cell, Row, SourcePos, Table
from qingdan.ingest.readers import read_bytes, read_path_bytes
from qingdan.laws.models import Law
from qingdan.laws.services import resolve_titles

# --- who may -------------------------------------------------------------------------------


def can_edit_standards(actor: Actor, department: Department) -> bool:
    """Import and replace: the department's own 填报员, or an administrator (as for its staff)."""
    return can_edit(actor, department)


def require_edit(actor: Actor, department: Department) -> None:
    require(can_edit_standards(actor, department), actor, f"修改{department.name}的行政处罚裁量基准")


# --- the table -----------------------------------------------------------------------------

COLUMNS = (
    Column("code", "编号", ("裁量基准编号", "基准编号", "裁量编号", "违法行为编号")),
    Column("serial", "序号", ("序",)),
    Column("violation", "违法行为", ("违法行为名称", "违法行为种类", "违法行为表现")),
    Column("violated_basis", "违法依据", ("违反条款", "违法条款", "违反的规定")),
    Column("penalty_basis", "处罚依据", ("法律依据", "处罚条款", "设定依据", "法定依据")),
    Column("circumstance", "裁量阶次", ("违法情节", "情节", "裁量等级", "处罚阶次", "裁量档次", "阶次")),
    Column("condition", "适用情形", ("具体标准", "具体情形", "情形", "适用条件", "裁量情形", "违法情形")),
    Column(
        "penalty",
        "处罚幅度",
        ("裁量基准", "处罚标准", "处罚基准", "处罚种类和幅度", "裁量幅度", "处罚内容", "具体裁量标准"),
    ),
    Column("power_code", "事项编码", ("权力编码", "处罚事项编码", "职权编码")),
    Column("power_name", "处罚事项", ("权力事项", "事项名称", "职权名称")),
)
LABELS = {c.field: c.label for c in COLUMNS}
_LOOKUP = {normalize_header(name): c.field for c in COLUMNS for name in c.names()}
REQUIRED = ("violation", "circumstance", "penalty")
# the cells that belong to the violation: a blank one continues the violation above
VIOLATION_FIELDS = (
    "code",
    "serial",
    "violation",
    "violated_basis",
    "penalty_basis",
    "power_code",
    "power_name",
)
LIMITS = {"code": 50, "violation": 500, "power_code": 100, "power_name": 500}

C = DiscretionLevel
CIRCUMSTANCE_LABELS = dict(C.CIRCUMSTANCES)
# the words tables write in the 裁量阶次 column (the longest that starts the cell wins)
CIRCUMSTANCE_WORDS: dict[str, str] = {
    **{w: C.NONE for w in ("不予处罚", "不予行政处罚", "不予", "免予处罚", "免予行政处罚", "免罚", "不罚")},
    **{w: C.MITIGATED for w in ("减轻处罚", "减轻行政处罚", "减轻")},
    **{w: C.LIGHTER for w in ("从轻处罚", "从轻行政处罚", "从轻", "较轻", "情节较轻", "轻微", "情节轻微")},
    **{w: C.ORDINARY for w in ("一般处罚", "一般", "情节一般", "一般情节")},
    **{w: C.HEAVIER for w in ("从重处罚", "从重行政处罚", "从重", "严重", "情节严重", "较重", "情节较重")},
}
_WORDS_LONGEST_FIRST = sorted(CIRCUMSTANCE_WORDS, key=len, reverse=True)


def circumstance_code(text: str) -> str:
    """「从轻处罚」, 「情节较轻」, 「lighter」 → lighter; QingdanError naming the accepted words."""
    key = normalised(text)
    if key in CIRCUMSTANCE_LABELS:
        return key
    for word in _WORDS_LONGEST_FIRST:
        if key.startswith(word):
            return CIRCUMSTANCE_WORDS[word]
    raise QingdanError(
        f"「{text.strip()}」不是裁量阶次（可写：{'、'.join(CIRCUMSTANCE_LABELS.values())}，"
        "或 情节轻微、情节一般、情节严重）"
    )


@dataclass
class LevelRecord:
    circumstance: str
    condition: str
    penalty_text: str
    min_amount: Decimal | None
    max_amount: Decimal | None
    other: str
    row: int

    @property
    def label(self) -> str:
        return CIRCUMSTANCE_LABELS[self.circumstance]

    @property
    def range_text(self) -> str:
        return range_text(self.min_amount, self.max_amount)


@dataclass
class StandardRecord:
    code: str
    violation: str
    violated_basis: str = ""
    penalty_basis: str = ""
    power_code: str = ""
    power_name: str = ""
    law_title: str = ""
    article: str = ""
    law: Law | None = None
    power_linked: bool = False
    row: int = 0
    levels: list[LevelRecord] = field(default_factory=list)


@dataclass
class StandardsFile:
    """A standards table as read: its standards, and every problem and warning by position."""

    name: str
    standards: list[StandardRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def read_standards(department: Department, name: str, data: bytes) -> StandardsFile:
    """Read and check a standards table (CSV/XLSX/… as ``qingdan.ingest`` reads them). Raises
    IngestError when no table has the columns; row problems are collected in ``problems``."""
    doc = read_bytes(name, data)
    for table in doc.tables():
        found = _heading(table)
        if found is None:
            continue
        index, columns = found
        headers = [table.rows[index]]
        sub = _subheading(table, index)
        if sub:  # 「法律依据」 over 「违法依据」「处罚依据」: the second row names the columns
            columns.update(sub)
            headers.append(table.rows[index + 1])
        missing = [LABELS[k] for k in REQUIRED if k not in columns]
        if "code" not in columns and "serial" not in columns:
            missing.insert(0, "编号（或序号）")
        if missing:
            raise fail(
                table.rows[index].pos,
                f"表头缺少列：{'、'.join(missing)}",
                hint="需要的列：编号、违法行为、裁量阶次、处罚幅度；可有 违法依据、处罚依据、适用情形、事项编码",
            )
        result = StandardsFile(name)
        _Reader(result, columns, headers).read(table.rows[index + len(headers) :])
        if not result.standards and not result.problems:
            result.problems.append(Problem(SourcePos(name), "表格中没有裁量基准"))
        _link(department, result)
        return result
    raise fail(
        SourcePos(name),
        "找不到裁量基准表的表头",
        hint="表头应有列：编号（或序号）、违法行为、裁量阶次、处罚幅度",
    )


def _heading(table: Table) -> tuple[int, dict[str, int]] | None:
    """The heading row (within the first ten) and the column of each field it names."""
    for index, row in enumerate(table.rows[:10]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(row.cells):
            key = _LOOKUP.get(normalize_header(cell.text))
            if key and key not in columns:
                columns[key] = col
        if "violation" in columns and ("circumstance" in columns or "penalty" in columns):
            return index, columns
    return None


def _subheading(table: Table, index: int) -> dict[str, int]:
    """The columns a second header row names, when every text in the row below the heading is a
    column name (a two-row header with merged group titles above)."""
    if index + 1 >= len(table.rows):
        return {}
    named: dict[str, int] = {}
    for col, cell in enumerate(table.rows[index + 1].cells):
        if cell.blank:
            continue
        key = _LOOKUP.get(normalize_header(cell.text))
        if key is None:
            return {}
        named.setdefault(key, col)
    return named


class _Reader:
    """Walks the data rows: fills the violation's cells down, starts a standard where its 编号
    or 违法行为 changes, and parses each row's circumstance and penalty."""

    def __init__(self, out: StandardsFile, columns: dict[str, int], headers: list[Row]) -> None:
        self.out = out
        self.columns = columns
        self.headers = [[normalize_header(c.text) for c in row.cells] for row in headers]
        self.code_field = "code" if "code" in columns else "serial"
        self.current: StandardRecord | None = None
        self.above: dict[str, str] = {}
        self.codes: dict[str, int] = {}
        self.levels: dict[tuple[str, str], int] = {}

    def cell(self, row: Row, key: str) -> Cell | None:
        col = self.columns.get(key)
        return row.cells[col] if col is not None and col < len(row.cells) else None

    def pos(self, row: Row, key: str) -> SourcePos:
        cell = self.cell(row, key)
        if cell is not None:
            return cell.pos
        return SourcePos(row.pos.file, row.pos.row, self.columns.get(key, -1) + 1, row.pos.sheet)

    def text(self, row: Row, key: str) -> str:
        cell = self.cell(row, key)
        return cell.text.strip() if cell is not None and not cell.blank else ""

    def problem(self, row: Row, key: str, message: str) -> None:
        self.out.problems.append(Problem(self.pos(row, key), message, LABELS[key]))

    def read(self, rows: list[Row]) -> None:
        for row in rows:
            if self._skipped(row):
                continue
            self._row(row)

    def _skipped(self, row: Row) -> bool:
        """Blank rows, a repeated header, and a section title (one text across the row)."""
        texts = {c.text.strip() for c in row.cells if not c.blank}
        if not texts:
            return True
        if [normalize_header(c.text) for c in row.cells] in self.headers:  # repeated on a new page
            return True
        if len(texts) > 1 or self.text(row, "circumstance") or self.text(row, "penalty"):
            return False
        # one text: a title merged across the row, or written outside the violation's column;
        # a violation alone is a row with its circumstance missing, and is reported as such
        filled = [c for c in row.cells if not c.blank]
        across = any(c.merge == "left" for c in row.cells)
        return across or filled[0] is not self.cell(row, "violation")

    def _row(self, row: Row) -> None:
        values = {key: self.text(row, key) for key in VIOLATION_FIELDS if key in self.columns}
        code, violation = values.get(self.code_field, ""), values.get("violation", "")
        starts = self.current is None or (
            (violation and normalised(violation) != normalised(self.current.violation))
            or (self.code_field == "code" and code and code != self.current.code)
        )
        if starts:
            self._start(row, values)
        elif self.current is not None:
            self._continue(row, values)
        self._level(row)

    def _continue(self, row: Row, values: dict[str, str]) -> None:
        """A later row of the same violation: it may fill what the first left blank; a basis that
        differs by circumstance cannot be kept (one basis per violation) and is named."""
        current = self.current
        assert current is not None
        for key in ("violated_basis", "penalty_basis", "power_code", "power_name"):
            value = values.get(key, "")
            if not value:
                continue
            if not getattr(current, key):
                setattr(current, key, value)
                self.above[key] = value
            elif normalised(value) != normalised(getattr(current, key)):
                self.out.warnings.append(
                    Problem(
                        self.pos(row, key),
                        f"与本违法行为第 {current.row} 行所写不同，只保存第 {current.row} 行的内容",
                        LABELS[key],
                    )
                )

    def _start(self, row: Row, values: dict[str, str]) -> None:
        for key in ("violated_basis", "penalty_basis", "power_code", "power_name"):
            cell = self.cell(row, key)
            if not values.get(key) and cell is not None and cell.merge == "up":
                values[key] = self.above.get(key, "")  # a basis merged over two violations
        self.above = dict(values)
        code = values.get(self.code_field, "")
        if not values.get("violation"):
            self.problem(row, "violation", "「违法行为」为空，且上方没有可继承的违法行为")
        if not code:
            self.problem(row, self.code_field, f"「{LABELS[self.code_field]}」为空：每项违法行为须有编号")
        elif code in self.codes:
            self.problem(row, self.code_field, f"编号「{code}」与第 {self.codes[code]} 行重复")
        else:
            self.codes[code] = row.pos.row
        for key, limit in LIMITS.items():
            if len(values.get(key, "")) > limit:
                self.problem(row, key, f"内容过长（{len(values[key])} 字，最多 {limit} 字）")
        self.current = StandardRecord(
            code=code,
            violation=values.get("violation", ""),
            violated_basis=values.get("violated_basis", ""),
            penalty_basis=values.get("penalty_basis", ""),
            power_code=values.get("power_code", ""),
            power_name=values.get("power_name", ""),
            row=row.pos.row,
        )
        self.out.standards.append(self.current)

    def _level(self, row: Row) -> None:
        standard = self.current
        assert standard is not None
        said = self.text(row, "circumstance")
        if not said:
            self.problem(
                row,
                "circumstance",
                "「裁量阶次」为空：请写明不予处罚、减轻处罚、从轻处罚、一般处罚或从重处罚",
            )
            return
        try:
            circumstance = circumstance_code(said)
        except QingdanError as exc:
            self.problem(row, "circumstance", exc.message)
            return
        key = (standard.code, circumstance)
        if key in self.levels:
            self.problem(
                row,
                "circumstance",
                f"违法行为「{standard.violation[:30]}」的「{CIRCUMSTANCE_LABELS[circumstance]}」"
                f"已在第 {self.levels[key]} 行，同一阶次只能有一行",
            )
            return
        self.levels[key] = row.pos.row
        penalty_text = self.text(row, "penalty")
        penalty = self._penalty(row, circumstance, penalty_text)
        if penalty is None:
            return
        standard.levels.append(
            LevelRecord(
                circumstance=circumstance,
                condition=self.text(row, "condition"),
                penalty_text=penalty_text,
                min_amount=penalty.min_amount,
                max_amount=penalty.max_amount,
                other=penalty.other,
                row=row.pos.row,
            )
        )

    def _penalty(self, row: Row, circumstance: str, text: str) -> Penalty | None:
        if not text:
            if circumstance == C.NONE:
                return Penalty(other="不予处罚")
            self.problem(row, "penalty", "「处罚幅度」为空（如 处1万元以上3万元以下罚款、警告）")
            return None
        try:
            penalty = parse_penalty(text)
        except QingdanError as exc:
            self.problem(row, "penalty", exc.message)
            return None
        if circumstance == C.NONE and penalty.has_fine:
            self.problem(row, "penalty", "「不予处罚」阶次不能规定罚款")
            return None
        if len(penalty.other) > 300:
            self.problem(row, "penalty", f"罚款以外的处罚内容过长（{len(penalty.other)} 字，最多 300 字）")
            return None
        for warning in penalty.warnings:
            self.out.warnings.append(Problem(self.pos(row, "penalty"), warning, LABELS["penalty"]))
        return penalty


# --- links: the 行政处罚 power and the law -------------------------------------------------

_TITLE = re.compile(r"《([^《》]{2,100})》")
_ARTICLE = re.compile(
    r"^\s*(第[零〇一二两三四五六七八九十百千\d]+条(?:第[零〇一二两三四五六七八九十\d]+款)?(?:第[零〇一二两三四五六七八九十\d]+项)?)"
)
_POWER_NOISE = re.compile(r"^对|(?:的)?(?:行政)?处罚$|的$")


def _power_key(text: str) -> str:
    """「对用能单位未按照规定配备能源计量器具的行政处罚」 and 「用能单位未按照规定配备能源计量器具的」
    share a key: the violation, as 权力清单 name a 行政处罚 after it."""
    key = normalised(text)
    for _ in range(3):
        key = _POWER_NOISE.sub("", key)
    return key


def _link(department: Department, result: StandardsFile) -> None:
    """Each standard's 行政处罚 power in the department's current published list (by 事项编码, else
    by name or by the violation) and its law in the registry (by the first title its 处罚依据
    cites). What cannot be linked is kept as written, with a warning for the power."""
    version = current_version(department)
    powers = (
        list(PowerItem.objects.filter(version=version, type__contains="处罚").only("code", "name"))
        if version is not None
        else []
    )
    by_code = {normalised(p.code): p for p in powers if p.code.strip()}
    by_name = {_power_key(p.name): p for p in powers}
    for standard in result.standards:
        _cite(standard)
        power = by_code.get(normalised(standard.power_code)) if standard.power_code else None
        if power is None:
            power = by_name.get(_power_key(standard.power_name or standard.violation))
        if power is not None:
            standard.power_code, standard.power_name, standard.power_linked = power.code, power.name, True
        elif standard.power_code or standard.power_name:
            where = SourcePos(result.name, standard.row)
            named = standard.power_code or standard.power_name
            result.warnings.append(
                Problem(where, f"本部门现行清单中没有行政处罚事项「{named[:40]}」，按文件所写保存")
            )
    titles = {s.law_title for s in result.standards if s.law_title}
    laws = resolve_titles(titles)
    for standard in result.standards:
        standard.law = laws.get(standard.law_title)


def _cite(standard: StandardRecord) -> None:
    for text in (standard.penalty_basis, standard.violated_basis):
        match = _TITLE.search(text)
        if match:
            standard.law_title = match.group(1).strip()
            article = _ARTICLE.match(text[match.end() :])
            standard.article = article.group(1)[:100] if article else ""
            return


# --- import --------------------------------------------------------------------------------


@dataclass
class StandardsImport:
    file: StandardsFile
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    removed: int = 0

    @property
    def levels(self) -> int:
        return sum(len(s.levels) for s in self.file.standards)

    def summary(self) -> str:
        head = "（试运行，未写入）" if self.dry_run else "已导入"
        return (
            f"{head}{self.file.name}：裁量基准 {len(self.file.standards)} 项（{self.levels} 个裁量阶次），"
            f"新增 {self.created} 项，更新 {self.updated} 项，删除 {self.removed} 项。"
        )


def import_standards(
    actor: Actor, department: Department, path: Path | str, dry_run: bool = False
) -> StandardsImport:
    """Import the standards table at ``path`` for ``department`` (see ``import_standards_bytes``)."""
    require_edit(actor, department)
    path = Path(path)
    return import_standards_bytes(actor, department, path.name, read_path_bytes(path), dry_run)


def import_standards_bytes(
    actor: Actor, department: Department, name: str, data: bytes, dry_run: bool = False
) -> StandardsImport:
    """All rows or none: read and check the whole file, then replace the department's standards
    in one transaction (kept by 编号; one that an open case applies cannot be dropped)."""
    require_edit(actor, department)
    parsed = read_standards(department, name, data)
    existing = {s.code: s for s in DiscretionStandard.objects.filter(department=department)}
    codes = {s.code for s in parsed.standards}
    dropped = [s for code, s in existing.items() if code not in codes]
    for case in PenaltyCase.objects.filter(standard__in=dropped).select_related("standard"):
        if case.is_open and case.standard is not None:
            parsed.problems.append(
                Problem(
                    SourcePos(name),
                    f"文件中没有编号「{case.standard.code}」，但办理中的案件「{case}」适用该裁量基准，不能删除",
                )
            )
    if parsed.problems:
        raise IngestError(parsed.problems[:100])
    result = StandardsImport(parsed, dry_run, removed=len(dropped))
    result.updated = sum(code in existing for code in codes)
    result.created = len(codes) - result.updated
    if dry_run:
        return result
    with transaction.atomic():
        DiscretionStandard.objects.filter(pk__in=[s.pk for s in dropped]).delete()
        for record in parsed.standards:
            _save(actor, department, name, record, existing.get(record.code))
        log(
            actor,
            "discretion_import",
            department,
            after={
                "source": name,
                "standards": len(parsed.standards),
                "levels": result.levels,
                "created": result.created,
                "updated": result.updated,
                "removed": result.removed,
            },
        )
    return result


def _save(
    actor: Actor,
    department: Department,
    name: str,
    record: StandardRecord,
    standard: DiscretionStandard | None,
) -> None:
    standard = standard or DiscretionStandard(department=department, code=record.code)
    for key in ("violation", "power_code", "power_name", "violated_basis", "penalty_basis", "law", "article"):
        setattr(standard, key, getattr(record, key))
    standard.source_name = name[:255]
    standard.updated_by_name = actor.name
    standard.save()
    standard.levels.all().delete()
    DiscretionLevel.objects.bulk_create(
        DiscretionLevel(
            standard=standard,
            circumstance=level.circumstance,
            condition=level.condition,
            min_amount=level.min_amount,
            max_amount=level.max_amount,
            other=level.other,
        )
        for level in record.levels
    )


def remove_standard(actor: Actor, standard: DiscretionStandard) -> None:
    """Delete one standard (the department's editors; audited with what it said). One that an
    open case applies stays: the case was proposed under it."""
    require_edit(actor, standard.department)
    for case in PenaltyCase.objects.filter(standard=standard):
        if case.is_open:
            raise QingdanError(f"办理中的案件「{case}」适用裁量基准「{standard.code}」，不能删除")
    with transaction.atomic():
        log(actor, "discretion_remove", standard.department, before=standard_json(standard))
        standard.delete()


# --- reading the stored standards ------------------------------------------------------------


def standards_of(department: Department) -> list[DiscretionStandard]:
    return list(
        DiscretionStandard.objects.filter(department=department)
        .select_related("law")
        .prefetch_related("levels")
    )


def find_standard(department: Department, code: str) -> DiscretionStandard:
    from qingdan.errors import NotFound

    found = (
        DiscretionStandard.objects.filter(department=department, code=code.strip())
        .select_related("law")
        .prefetch_related("levels")
        .first()
    )
    if found is None:
        raise NotFound(f"{department.name}没有编号为「{code.strip()}」的裁量基准")
    return found


def level_text(level: DiscretionLevel) -> str:
    """A level in the words of the tables: 「责令改正；没收违法所得；并处1万元以上3万元以下罚款」,
    「处5000元罚款」, 「警告」."""
    parts = [p for p in level.other.split("；") if p] if level.other else []
    if level.min_amount is not None or level.max_amount is not None:
        amount = range_text(level.min_amount, level.max_amount)
        if parts and parts[-1] in ("并处罚款", "可以并处罚款"):
            parts[-1] = f"{parts[-1].removesuffix('罚款')}{amount}罚款"
        else:
            parts.insert(0, f"处{amount}罚款")
    return "；".join(parts) or "—"


def standard_json(standard: DiscretionStandard) -> dict[str, Any]:
    return {
        "code": standard.code,
        "violation": standard.violation,
        "power_code": standard.power_code,
        "power_name": standard.power_name,
        "violated_basis": standard.violated_basis,
        "penalty_basis": standard.penalty_basis,
        "law": standard.law.title if standard.law else "",
        "law_id": standard.law_id,
        "article": standard.article,
        "source": standard.source_name,
        "levels": [
            {
                "circumstance": level.circumstance,
                "circumstance_label": CIRCUMSTANCE_LABELS.get(level.circumstance, level.circumstance),
                "condition": level.condition,
                "min_amount": _money(level.min_amount),
                "max_amount": _money(level.max_amount),
                "other": level.other,
                "text": level_text(level),
            }
            for level in standard.levels.all()
        ],
    }


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


# --- proposing an amount ---------------------------------------------------------------------


DEFAULT_POINTS = {
    C.MITIGATED: Decimal(0),
    C.LIGHTER: Decimal(0),
    C.ORDINARY: Decimal("0.5"),
    C.HEAVIER: Decimal(1),
}


def proposal_points() -> dict[str, Decimal]:
    """Where in a level's range the proposal sits, per circumstance (0 the lower bound, 1 the
    upper): ``QINGDAN_DISCRETION_POINTS`` (「从轻=0,一般=0.5,从重=1」), by default 从轻 and 减轻 the
    lower bound, 一般 the middle, 从重 the upper bound."""
    points = dict(DEFAULT_POINTS)
    text = str(getattr(settings, "QINGDAN_DISCRETION_POINTS", "") or "")
    for part in filter(None, (p.strip() for p in re.split(r"[,，;；]", text))):
        name, _, value = part.replace("＝", "=").partition("=")
        try:
            code, point = circumstance_code(name), Decimal(value.strip())
        except (QingdanError, ArithmeticError):
            raise QingdanError(
                f"设置 QINGDAN_DISCRETION_POINTS 中「{part}」无效（应写如 从轻=0,一般=0.5,从重=1）"
            ) from None
        if not 0 <= point <= 1:
            raise QingdanError(f"设置 QINGDAN_DISCRETION_POINTS 中「{part}」应在 0 到 1 之间")
        points[code] = point
    return points


def proposal_step() -> Decimal:
    """The proposal is rounded to this many yuan (``QINGDAN_DISCRETION_STEP``, default 100)."""
    text = str(getattr(settings, "QINGDAN_DISCRETION_STEP", "100") or "100")
    try:
        step = Decimal(text)
    except ArithmeticError:
        step = Decimal(-1)
    if not step > 0:
        raise QingdanError(f"设置 QINGDAN_DISCRETION_STEP「{text}」应为正数（元）")
    return step


@dataclass
class Proposal:
    code: str
    violation: str
    circumstance: str
    circumstance_label: str
    condition: str
    min_amount: Decimal | None
    max_amount: Decimal | None
    amount: Decimal | None
    other: str
    basis: str
    rule: str  # how the amount was chosen, for people
    text: str  # 适用标准: the standard applied, for display and the documents

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "violation": self.violation,
            "circumstance": self.circumstance,
            "circumstance_label": self.circumstance_label,
            "condition": self.condition,
            "min_amount": _money(self.min_amount),
            "max_amount": _money(self.max_amount),
            "amount": _money(self.amount),
            "other": self.other,
            "basis": self.basis,
            "rule": self.rule,
            "text": self.text,
        }


def level_of(standard: DiscretionStandard, circumstance: str) -> DiscretionLevel:
    code = circumstance_code(circumstance)
    for level in standard.levels.all():
        if level.circumstance == code:
            return level
    have = "、".join(CIRCUMSTANCE_LABELS[x.circumstance] for x in standard.levels.all()) or "无"
    raise QingdanError(f"裁量基准「{standard.code}」没有「{CIRCUMSTANCE_LABELS[code]}」阶次（有：{have}）")


def propose(standard: DiscretionStandard, circumstance: str) -> Proposal:
    """The range of ``circumstance`` in ``standard`` and the amount proposed in it (see
    ``proposal_points``), with the text of the standard applied."""
    level = level_of(standard, circumstance)
    low, high = level.min_amount, level.max_amount
    amount, rule = None, "本阶次不处罚款"
    if level.circumstance != C.NONE and (low is not None or high is not None):
        amount, rule = _amount(level.circumstance, low, high)
    label = CIRCUMSTANCE_LABELS[level.circumstance]
    basis = standard.penalty_basis or standard.violated_basis
    text = f"裁量基准 {standard.code}「{standard.violation}」{label}"
    if level.condition:
        text += f"（适用情形：{level.condition}）"
    text += f"：{level_text(level)}"
    if basis:
        text += f"。处罚依据：{basis}"
    return Proposal(
        code=standard.code,
        violation=standard.violation,
        circumstance=level.circumstance,
        circumstance_label=label,
        condition=level.condition,
        min_amount=low,
        max_amount=high,
        amount=amount,
        other=level.other,
        basis=basis,
        rule=rule,
        text=text,
    )


def _amount(circumstance: str, low: Decimal | None, high: Decimal | None) -> tuple[Decimal, str]:
    low = low or Decimal(0)
    if high is None:
        return low, "幅度只有下限，取下限"
    point = proposal_points().get(circumstance, Decimal("0.5"))
    step = proposal_step()
    # a range written by its upper bound only (「5万元以下」) starts at one step: 0 would be no fine
    floor = low if low > 0 else min(step, high)
    raw = floor + (high - floor) * point
    amount = (raw / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    amount = min(max(amount, floor), high)
    where = {Decimal(0): "取下限", Decimal(1): "取上限", Decimal("0.5"): "取中间值"}.get(
        point, f"取幅度的 {point:%}"
    )
    note = f"；幅度未写下限，从 {step} 元起算" if floor != low else ""
    return amount.quantize(
        Decimal("0.01")
    ), f"{CIRCUMSTANCE_LABELS[circumstance]}{where}（按 {step} 元取整{note}）"


def outside_range(
    standard: DiscretionStandard, circumstance: str, amount: Decimal | int | str | None
) -> str | None:
    """A Chinese message when ``amount`` (the fine decided, None or 0 for none) lies outside the
    range of ``circumstance`` in ``standard``; None when it is within. The decide service then
    requires a written reason and 法制审核."""
    level = level_of(standard, circumstance)
    value = Decimal(str(amount or 0))
    label = CIRCUMSTANCE_LABELS[level.circumstance]
    where = f"裁量基准 {standard.code}「{label}」"
    if level.circumstance == C.NONE:
        return f"{where}不予处罚，拟罚款 {value:.2f} 元超出裁量幅度" if value else None
    low, high = level.min_amount, level.max_amount
    if low is None and high is None:
        return f"{where}未规定罚款，拟罚款 {value:.2f} 元超出裁量幅度" if value else None
    if value < (low or 0) or (high is not None and value > high):
        return f"拟罚款 {value:.2f} 元超出{where}的幅度（{range_text(low, high)}），须写明理由并经法制审核"
    return None
