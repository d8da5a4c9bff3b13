"""Turn a RawDocument from any reader into one department's ListRecord.

This is the one place that knows what the tables mean: sections are found by their header
rows wherever they sit, repeated headers are skipped, merged cells are filled down within a
duty (or a boundary matter), cells naming several units yield several, the unit → phone
directory is learned across the whole document, and a document's own notes are followed.
Every problem is named by its position.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from qingdan.ingest.layouts import SUPERVISION, Layout, match_header
from qingdan.ingest.phones import is_phone, split_phones
from qingdan.ingest.problems import IngestError, Problem
from qingdan.ingest.raw import Cell, Paragraph, RawDocument, Row, SourcePos, Table
from qingdan.ingest.records import (
    REGIME_PARTS,
    BoundaryRecord,
    DutyRecord,
    ListRecord,
    PowerRecord,
    RegimeRecord,
    ServiceRecord,
    ShareRecord,
    TaskRecord,
    UnitRecord,
)
from qingdan.ingest.subjects import file_jurisdiction, qualify, read_subject
from qingdan.ingest.supervision import append_part, merge_regimes, regimes_in_pairs, regimes_in_prose
from qingdan.ingest.units import clean, department_in, jurisdiction_of, split_names, unit_kind


@dataclass
class Segment:
    """Rows under one header row, with the header's column → field mapping."""

    layout: Layout
    columns: dict[int, str]
    rows: list[Row]
    header: Row


@dataclass
class Interpretation:
    record: ListRecord
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Context:
    name: str
    record: ListRecord
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes_name_units: bool = False
    unit_table: bool = False  # a 内设机构及联系方式 table is the authority on phones
    merges_marked: bool = False  # see RawDocument.merges_marked

    def error(self, pos: SourcePos, message: str, column: str = "", hint: str = "") -> None:
        self.errors.append(Problem(pos, message, column, hint))

    def warn(self, pos: SourcePos, message: str, column: str = "", hint: str = "") -> None:
        self.warnings.append(Problem(pos, message, column, hint))

    def add_unit(self, name: str, kind: str = "", phones: list[str] | None = None) -> str:
        name, marked = unit_kind(name)
        unit = self.record.unit(name)
        if unit is None:
            unit = UnitRecord(name=name, kind=kind or marked)
            self.record.units.append(unit)
        elif kind or marked == "事业单位":
            unit.kind = kind or marked
        for phone in phones or []:
            if phone not in unit.phones:
                unit.phones.append(phone)
        return name


def interpret(doc: RawDocument, department: str = "", jurisdiction: str = "") -> Interpretation:
    """The ListRecord in ``doc``; raises IngestError listing every problem by position."""
    ctx = _Context(doc.name, ListRecord(department=""), merges_marked=doc.merges_marked)
    paragraphs, segments = _split(doc, ctx)
    ctx.notes_name_units = any(_says_notes_name_units(p.text) for p in paragraphs)
    ctx.unit_table = any(s.layout.kind == "units" for s in segments)
    for segment in segments:
        _READERS[segment.layout.kind](segment, ctx)
    _add_prose_regimes(paragraphs, ctx)
    if ctx.record.is_empty() and not ctx.errors:
        raise IngestError(
            [
                Problem(
                    SourcePos(doc.name),
                    "没有找到责任清单的表格（部门职责、职责边界、公共服务事项、事中事后监管制度或权力清单）",
                    hint=_not_a_list_hint(paragraphs),
                )
            ]
        )
    _name_department(paragraphs, ctx, department, jurisdiction)
    if ctx.errors:
        raise IngestError(ctx.errors)
    return Interpretation(ctx.record, ctx.warnings)


def _not_a_list_hint(paragraphs: list[Paragraph]) -> str:
    text = "".join(p.text for p in paragraphs[:80])
    if "预算" in text and ("绩效" in text or "收支" in text):
        return "这份文件像是部门预算公开文件，预算与绩效目标的导入尚未支持"
    if "执法责任制" in text:
        return "这份文件像是行政执法责任制实施办法，它的导入尚未支持"
    return "请确认表头包含「主要职责」「具体工作事项」等列名"


# --- splitting the document into header-led segments -------------------------------------


def _split(doc: RawDocument, ctx: _Context) -> tuple[list[Paragraph], list[Segment]]:
    paragraphs: list[Paragraph] = []
    segments: list[Segment] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            paragraphs.append(block)
            continue
        for item in _segments_of(block, segments[-1] if segments else None, paragraphs, ctx):
            if isinstance(item, Paragraph):
                paragraphs.append(item)
            elif not (segments and segments[-1] is item):
                segments.append(item)
    return paragraphs, segments


def _segments_of(
    table: Table, previous: Segment | None, paragraphs: list[Paragraph], ctx: _Context
) -> Iterator[Segment | Paragraph]:
    current: Segment | None = None
    pairs: list[Row] = []
    for row in table.rows:
        found = match_header([c.text for c in row.cells])
        if found:
            layout, columns = found
            if current and current.layout is layout:
                continue  # a header repeated after a page break
            current = Segment(layout, columns, [], row)
            yield current
        elif current is not None:
            current.rows.append(row)
        elif _is_pair_row(row):
            pairs.append(row)
        elif previous is not None and _fits(previous, row):
            # a table split by a page break without its header: same columns, same section
            current = previous
            current.rows.append(row)
            yield current
        elif _filled(row) == 1:
            yield Paragraph(clean(next(c.text for c in row.cells if not c.blank)), row.pos)
        elif _filled(row):
            ctx.warn(row.pos, "这一行不在任何可识别的表格中，已跳过", hint="如果它属于清单，请补上表头行")
    if pairs:
        heading = next((p.text for p in reversed(paragraphs) if _is_regime_heading(p.text)), "")
        for regime in regimes_in_pairs([[c.text for c in r.cells] for r in pairs], heading, pairs[0].pos):
            ctx.record.supervision.append(regime)


def _filled(row: Row) -> int:
    return sum(1 for c in row.cells if not c.blank)


def _fits(segment: Segment, row: Row) -> bool:
    width = len(segment.header.cells)
    return len(row.cells) == width and _filled(row) > 0


def _is_pair_row(row: Row) -> bool:
    """A two-column 监督检查对象 | text row: 002 writes a regime as key–value pairs."""
    texts = [clean(c.text) for c in row.cells if not c.blank]
    return len(texts) == 2 and any(key in texts[0] for key in SUPERVISION_KEYS) and len(texts[0]) < 16


SUPERVISION_KEYS = tuple(c.label for c in SUPERVISION.columns if c.field in REGIME_PARTS)


def _is_regime_heading(text: str) -> bool:
    return bool(re.match(r"^\s*[（(][一二三四五六七八九十]+[）)]", text))


_NOTE_RULE = re.compile(r"备注.{0,6}(注明|填写|写明).{0,6}(责任单位|责任科室|承办单位)")


def _says_notes_name_units(text: str) -> bool:
    """The document's own note: 「由事业单位履行的职责…在备注栏中注明责任单位」."""
    return bool(_NOTE_RULE.search(text.replace(" ", "")))


# --- 部门职责 --------------------------------------------------------------------------------


def _cell(row: Row, segment: Segment, fieldname: str) -> Cell | None:
    for index, name in segment.columns.items():
        if name == fieldname and index < len(row.cells):
            return row.cells[index]
    return None


def _text(row: Row, segment: Segment, fieldname: str) -> str:
    cell = _cell(row, segment, fieldname)
    return clean(cell.text) if cell else ""


def _label(segment: Segment, fieldname: str) -> str:
    return segment.layout.column(fieldname).label


def _read_duties(segment: Segment, ctx: _Context) -> None:
    duty: DutyRecord | None = None
    for row in segment.rows:
        if not _filled(row):
            continue
        no, text = _text(row, segment, "no"), _text(row, segment, "duty")
        if text and (duty is None or text != duty.text or (no and no != duty.no)):
            duty = DutyRecord(no=no or str(len(ctx.record.duties) + 1), text=text, pos=row.pos)
            ctx.record.duties.append(duty)
        elif duty is None:
            ctx.error(
                row.pos,
                "空白，且上方没有可继承的主要职责",
                _label(segment, "duty"),
                "请补上这一行所属的主要职责",
            )
            continue
        _read_task(row, segment, duty, ctx)


def _read_task(row: Row, segment: Segment, duty: DutyRecord, ctx: _Context) -> None:
    text, note = _text(row, segment, "task"), _text(row, segment, "note")
    names = split_names(_text(row, segment, "units"))
    phones = split_phones(_text(row, segment, "phones"))
    if note and is_phone(note):  # a phone written in 备注 belongs to the row's unit
        phones, note = phones + split_phones(note), ""
    if not names and note and ctx.notes_name_units:  # the document says 备注 names the unit
        names, note = split_names(note), ""
    units = [ctx.add_unit(n) for n in names]
    if units and phones:
        _learn_phones(units, phones, ctx)
    previous = duty.tasks[-1] if duty.tasks else None
    if not text and previous is not None:
        # the task cell is merged over several rows: one task, several units
        previous.units.extend(u for u in units if u not in previous.units)
        return
    units = units or (list(previous.units) if previous else [])
    if not units:
        ctx.error(row.pos, "空白，且上方没有可继承的值", _label(segment, "units"), "请填写负责这项工作的科室")
        return
    duty.tasks.append(TaskRecord(text=text, units=units, note=note, pos=row.pos))


def _learn_phones(units: list[str], phones: list[str], ctx: _Context) -> None:
    """A phone belongs to a unit: pair by position when the counts match, else all to each."""
    if ctx.unit_table:
        return
    if len(units) == len(phones):
        for unit, phone in zip(units, phones, strict=True):
            ctx.add_unit(unit, phones=[phone])
    else:
        for unit in units:
            ctx.add_unit(unit, phones=phones)


# --- 职责边界 ------------------------------------------------------------------------------


def _read_boundaries(segment: Segment, ctx: _Context) -> None:
    matter: BoundaryRecord | None = None
    matter_no = ""
    for row in segment.rows:
        if not _filled(row):
            continue
        name, departments = _text(row, segment, "matter"), split_names(_text(row, segment, "department"))
        no = _text(row, segment, "no")
        # a flat export (CSV) repeats 序号 and 管理事项 on every row of the matter
        if name and (matter is None or name != matter.matter or (no and no != matter_no)):
            matter, matter_no = BoundaryRecord(matter=name, pos=row.pos), no
            ctx.record.boundaries.append(matter)
        elif matter is None:
            ctx.error(row.pos, "空白，且上方没有可继承的管理事项", _label(segment, "matter"))
            continue
        if not departments:
            ctx.error(row.pos, "空白：不知道这一段职责分工属于哪个部门", _label(segment, "department"))
            continue
        _add_shares(row, segment, matter, departments, ctx)


def _add_shares(
    row: Row, segment: Segment, matter: BoundaryRecord, departments: list[str], ctx: _Context
) -> None:
    above = matter.shares[-1] if matter.shares else None
    basis = _inherited(row, segment, "basis", above.basis if above else "", ctx)
    case = _inherited(row, segment, "case", above.case if above else "", ctx)
    division = _text(row, segment, "division")
    for name in departments:
        matter.shares.append(ShareRecord(name, division, basis, case, pos=row.pos))


def _inherited(row: Row, segment: Segment, fieldname: str, above: str, ctx: _Context) -> str:
    """A cell's text, or the value above when the cell is merged with it (or may be: text export)."""
    cell = _cell(row, segment, fieldname)
    if cell is None:
        return ""
    if not cell.blank:
        return clean(cell.text)
    return above if cell.merge == "up" or not ctx.merges_marked else ""


# --- 公共服务事项, 内设机构, 权力清单 ---------------------------------------------------------------


def _read_services(segment: Segment, ctx: _Context) -> None:
    for row in segment.rows:
        name = _text(row, segment, "name")
        if not name:
            if _filled(row):
                ctx.error(row.pos, "空白", _label(segment, "name"), "请填写服务事项名称")
            continue
        units = [ctx.add_unit(n) for n in split_names(_text(row, segment, "units"))]
        phones = split_phones(_text(row, segment, "phones"))
        if units and phones:
            _learn_phones(units, phones, ctx)
        content = _text(row, segment, "content")
        ctx.record.services.append(ServiceRecord(name, content, units, phones, pos=row.pos))


def _read_units(segment: Segment, ctx: _Context) -> None:
    for row in segment.rows:
        name = _text(row, segment, "name")
        if not name:
            continue
        kind = _text(row, segment, "kind")
        if kind and kind not in ("内设机构", "事业单位"):
            ctx.error(
                row.pos,
                f"「{kind}」不是有效的机构类别",
                _label(segment, "kind"),
                "应为「内设机构」或「事业单位」",
            )
            continue
        ctx.add_unit(name, kind=kind, phones=split_phones(_text(row, segment, "phones")))


def _read_powers(segment: Segment, ctx: _Context) -> None:
    extra = _unmapped_columns(segment, ctx)
    for row in segment.rows:
        values = {f: _text(row, segment, f) for f in segment.columns.values()}
        if not values.get("name"):
            if _filled(row):
                ctx.error(row.pos, "空白", _label(segment, "name"), "请填写事项名称")
            continue
        power = PowerRecord(name=values["name"], pos=row.pos)
        for key in POWER_TEXTS:
            setattr(power, key, values.get(key, ""))
        power.units = split_names(values.get("units", ""))
        power.phones = split_phones(values.get("phones", ""))
        power.entrusted_to = power.entrusted_to or read_subject(power.subject).entrusted_to
        power.extra = _extra_of(values.get("extra", ""))
        power.extra |= {h: clean(row.cells[i].text) for i, h in extra.items() if i < len(row.cells)}
        power.extra = {h: v for h, v in power.extra.items() if v}
        ctx.record.powers.append(power)


def _extra_of(text: str) -> dict[str, str]:
    """An exported 其他信息 cell back into its columns: 「办理时限：20个工作日」 lines."""
    pairs = (line.partition("：") for line in text.split("\n") if line.strip())
    return {key: value for key, sep, value in pairs if sep} if text else {}


POWER_TEXTS = (
    "code",
    "type",
    "subitems",
    "basis",
    "subject",
    "duties",
    "accountability",
    "entrusted_to",
    "source_id",
)


def _unmapped_columns(segment: Segment, ctx: _Context) -> dict[int, str]:
    """Columns whose header names no element: kept with each item under their own header."""
    extra: dict[int, str] = {}
    for i, cell in enumerate(segment.header.cells):
        header = clean(cell.text).replace("\n", "")
        if i not in segment.columns and header and header not in extra.values():
            extra[i] = header
    if extra:
        names = "、".join(f"「{h}」" for h in extra.values())
        ctx.warn(segment.header.pos, f"未识别的列：{names}，已原样保存在每个事项的「其他信息」中")
    return extra


def _read_supervision(segment: Segment, ctx: _Context) -> None:
    regime: RegimeRecord | None = None
    for row in segment.rows:
        if not _filled(row):
            continue
        matter = _text(row, segment, "matter")
        if matter:
            regime = RegimeRecord(matter=matter, pos=row.pos)
            ctx.record.supervision.append(regime)
        elif regime is None:
            ctx.error(row.pos, "空白，且上方没有可继承的事项", _label(segment, "matter"))
            continue
        for part in REGIME_PARTS:
            text = _text(row, segment, part)
            if text:
                append_part(regime, part, text)


_READERS = {
    "duties": _read_duties,
    "boundaries": _read_boundaries,
    "services": _read_services,
    "supervision": _read_supervision,
    "units": _read_units,
    "powers": _read_powers,
}


def _add_prose_regimes(paragraphs: list[Paragraph], ctx: _Context) -> None:
    """A regime written as prose (and perhaps again as a table) is one regime."""
    prose = regimes_in_prose(paragraphs)
    ctx.record.supervision = merge_regimes(ctx.record.supervision, prose)


# --- naming the department and jurisdiction ------------------------------------------------


def _name_department(paragraphs: list[Paragraph], ctx: _Context, department: str, jurisdiction: str) -> None:
    stated = next((n for n in (department_in(p.text) for p in paragraphs[:200]) if n), "")
    if not stated and ctx.record.powers:
        owners = {read_subject(p.subject) for p in ctx.record.powers}
        if len(owners) > 1 or any(o.undetermined for o in owners):
            # one export, many departments: split by 实施主体 when stored (qingdan.ingest.subjects)
            ctx.record.jurisdiction = file_jurisdiction(ctx.record.powers, jurisdiction)
            if not ctx.record.jurisdiction:
                ctx.error(
                    SourcePos(ctx.name),
                    "这份权力清单含多个实施主体，但无法判断所属地区",
                    hint="请用 --jurisdiction 指定地区，例如 --jurisdiction 西安市",
                )
            return
        stated = owners.pop().owner
    ctx.record.stated_department = stated = qualify(stated, jurisdiction)
    name = department or stated
    if not name:
        ctx.error(
            SourcePos(ctx.name),
            "文件中没有写明部门名称",
            hint="请用 --department 指定部门全称，例如 --department 石家庄市鹿泉区科学技术和工业信息化局",
        )
        return
    place = jurisdiction or jurisdiction_of(name)
    if not place:
        ctx.error(
            SourcePos(ctx.name),
            f"无法从部门名称「{name}」判断所属地区",
            hint="请用 --jurisdiction 指定地区，例如 --jurisdiction 湘阴县",
        )
    ctx.record.department, ctx.record.jurisdiction = name, place
