"""The 行政执法责任制 实施办法 (seed 003): a prose document, not a table, read into plain records.

The genre: a cover notice (发文机关 …文件, 文号, 关于印发《…》的通知), then numbered sections —
目的和任务, 执法依据 (laws grouped under level headings), 职责 (each with its 牵头科室 and 重点考核
items), 法律责任, 监督与考核. Section numbering varies (一、/（一）/第一章/1.), sections may be
missing; what cannot be placed is reported by position as a warning, never silently dropped.
Works on the paragraphs any reader returns (.txt lines, .docx paragraphs, …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qingdan.ingest.problems import IngestError, Problem, fail
from qingdan.ingest.raw import Paragraph, RawDocument, SourcePos
from qingdan.laws.names import article_number

PURPOSE, BASES, DUTIES, LIABILITIES, ASSESSMENT = "purpose", "bases", "duties", "liabilities", "assessment"
SECTION_LABELS = {
    PURPOSE: "目的和任务",
    BASES: "执法依据",
    DUTIES: "职责",
    LIABILITIES: "法律责任",
    ASSESSMENT: "监督与考核",
}
# (section, words its heading contains), tried in order: 法律责任 before 职责, 依据 before both
SECTION_WORDS = [
    (BASES, re.compile(r"依据")),
    (LIABILITIES, re.compile(r"法律责任|责任追究|过错追究|责任及处罚")),
    (ASSESSMENT, re.compile(r"监督|考核|评议")),
    (DUTIES, re.compile(r"职责|职权")),
    (PURPOSE, re.compile(r"目的|任务|指导思想|总则")),
]
# (Law.level, words of a level heading in the 执法依据), most specific first
LEVEL_WORDS = [
    ("normative", re.compile(r"规范性文件")),
    ("local_regulation", re.compile(r"地方性法规|人大常委会通过的.*法规")),
    ("admin_regulation", re.compile(r"行政法规|国务院.*(?:条例|法规)")),
    ("local_rule", re.compile(r"政府规章|地方规章|省政府|市政府")),
    ("department_rule", re.compile(r"部门规章|规章")),
    ("law", re.compile(r"全国人大|全国人民代表大会|法律")),
]

_CN = "零〇一二两三四五六七八九十百"
_HEADING_NUMBER = re.compile(rf"^(?:第[{_CN}\d]+[章部分节]|[{_CN}]+[、.．]|[（(][{_CN}]+[）)]|\d+[、.．])\s*")
_ITEM_NUMBER = re.compile(
    rf"^(?:(\d+)[、.．](?!\d)|[（(](\d+)[）)]|([{_CN}]+)[、.．]|[（(]([{_CN}]+)[）)])\s*"
)
_ASPECT = re.compile(rf"^([{_CN}]+)是")
# （牵头科室：规划科） — or without brackets, 牵头科室：规划科 at the end of the 职责
_LEAD = re.compile(
    r"[（(]?\s*(?:牵头|责任|承办|主办)(?:科室|单位|处室|股室|部门)\s*[：:]\s*([^）)。；;]*)[）)]?"
)
_KEY = re.compile(r"重点考核([^。；;（(]+)[。；;]?")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\d+号")
_ISSUER = re.compile(r"^(?P<name>[\u4e00-\u9fa5]{3,40}?)(?:文件|关于.*)$")
_ARTICLE = re.compile(rf"第[{_CN}千\d]+条(?:第[{_CN}\d]+款)?(?:第[{_CN}\d]+项)?")
_LAWLIKE = re.compile(r"(?:法|法典|条例|规定|办法|细则|决定|规则|纲要|公约)(?:》|$|[（(。：:第])")
_SPLIT_UNITS = re.compile(r"[、，,/；;]|\s+")
_TITLE = re.compile(r"《[^《》]*执法责任制[^《》]*》|执法责任制\s*(?:实施)?(?:办法|方案|制度|规定|细则)")
_ISSUER_ENDS = ("局", "委", "办", "厅", "院", "中心", "政府", "委员会")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{1,8})[”\"」』]")
_BLANK = " \t\r\n\u3000\xa0"


@dataclass
class BasisRecord:
    """执法依据: a law (or an article of it) under the level heading the document files it."""

    text: str
    title: str
    level: str = ""
    heading: str = ""
    article: str = ""
    article_number: int | None = None
    article_text: str = ""
    pos: SourcePos | None = field(default=None, compare=False, repr=False)


@dataclass
class ResponsibilityDutyRecord:
    number: str
    text: str
    lead_units: list[str] = field(default_factory=list)
    key_assessments: list[str] = field(default_factory=list)
    pos: SourcePos | None = field(default=None, compare=False, repr=False)


@dataclass
class ClauseRecord:
    number: str
    text: str
    pos: SourcePos | None = field(default=None, compare=False, repr=False)


@dataclass
class AssessmentRecord:
    aspects: list[str] = field(default_factory=list)
    method: str = ""
    body: str = ""
    grades: list[str] = field(default_factory=list)
    use: str = ""


@dataclass
class ResponsibilityRecord:
    """One 执法责任制 document as read; ``warnings`` name by position what could not be read."""

    source_name: str
    title: str = ""
    document_number: str = ""
    issuer: str = ""
    purpose: str = ""
    supervision: str = ""
    bases: list[BasisRecord] = field(default_factory=list)
    duties: list[ResponsibilityDutyRecord] = field(default_factory=list)
    liabilities: list[ClauseRecord] = field(default_factory=list)
    assessment: AssessmentRecord = field(default_factory=AssessmentRecord)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Item:
    number: str
    parts: list[str]
    pos: SourcePos

    @property
    def text(self) -> str:
        return "".join(self.parts)


def where(pos: SourcePos) -> str:
    """「f.docx」, 第 12 段 for Word paragraphs; 「f.txt」, 第 12 行 for text lines."""
    if pos.file.lower().endswith(".docx") and pos.row and not pos.table:
        return f"「{pos.file}」, 第 {pos.row} 段"
    return pos.describe()


def describe(problem: Problem) -> str:
    """A problem as people read it, with Word paragraphs called 段 (``where``)."""
    text = f"{where(problem.pos)}: {problem.message}"
    return f"{text}。{problem.hint}" if problem.hint else text


def _clean(text: str) -> str:
    return text.strip(_BLANK)


def section_of(text: str, arabic: bool = True) -> str:
    """The section a heading opens (``duties`` …), or '' when ``text`` is not a section heading.
    ``arabic``: whether a heading may be numbered 1. / 1、 (only when the document's first one is,
    or a short numbered 职责 such as 「3. 负责科技监督」 would open a section)."""
    text = _clean(text)
    numbered = _HEADING_NUMBER.match(text)
    body = text[numbered.end() :] if numbered else text
    if len(body) > 30 or body.endswith(("。", "；", ";")) or _LAWLIKE.search(body):
        return ""
    if numbered and not arabic and numbered.group()[0].isdigit():
        return ""
    if not numbered and (len(body) > 16 or body.startswith(("（", "(")) or "：" in body[:-1]):
        return ""  # （牵头科室：监督科） continues a 职责
    return next((section for section, words in SECTION_WORDS if words.search(body)), "")


def is_responsibility_document(doc: RawDocument) -> bool:
    """A 执法责任制 document: its title near the top says so (…执法责任制实施办法 / 《…执法责任制…》)
    and it has a 职责 or 执法依据 section."""
    paragraphs = [_clean(p.text) for p in doc.paragraphs()]
    if not any(_TITLE.search(text) and len(text) <= 60 for text in paragraphs[:40]):
        return False
    return any(section_of(text) in (DUTIES, BASES) for text in paragraphs)


def read_responsibility(doc: RawDocument) -> ResponsibilityRecord:
    """The document's records; raises IngestError when it has no readable 职责 section."""
    record = ResponsibilityRecord(doc.name)
    paragraphs = [p for p in doc.paragraphs() if _clean(p.text)]
    sections, front = _split(paragraphs)
    _read_front(front, record)
    for name, (heading, body) in sections.items():
        READERS[name](body, record)
        if name != PURPOSE and not body:
            record.warnings.append(Problem(heading.pos, f"「{SECTION_LABELS[name]}」部分没有内容"))
    for name in (BASES, LIABILITIES, ASSESSMENT):
        if name not in sections:
            record.warnings.append(Problem(SourcePos(doc.name), f"没有找到「{SECTION_LABELS[name]}」部分"))
    if DUTIES not in sections:
        raise fail(
            SourcePos(doc.name),
            "没有找到「职责」部分，不能作为行政执法责任制导入",
            hint="职责部分应有标题（如「三、……的职责」），其下为编号的各项职责",
        )
    if not record.duties:
        heading = sections[DUTIES][0]
        raise IngestError(
            [Problem(heading.pos, "「职责」部分没有编号的职责条目", hint="每项职责以 1. 或 1、 开头")]
        )
    return record


def _split(
    paragraphs: list[Paragraph],
) -> tuple[dict[str, tuple[Paragraph, list[Paragraph]]], list[Paragraph]]:
    """The paragraphs before the first section heading, and each section's heading and body."""
    sections: dict[str, tuple[Paragraph, list[Paragraph]]] = {}
    front: list[Paragraph] = []
    current: list[Paragraph] = front
    arabic = True
    for paragraph in paragraphs:
        name = section_of(paragraph.text, arabic)
        if name and name not in sections:
            if not sections:
                arabic = _clean(paragraph.text)[:1].isdigit()
            current = []
            sections[name] = (paragraph, current)
        else:
            current.append(paragraph)
    return sections, front


def _read_front(front: list[Paragraph], record: ResponsibilityRecord) -> None:
    texts = [_clean(p.text) for p in front]
    for text in texts:
        found = _DOC_NUMBER.search(text)
        if found and not record.document_number:
            record.document_number = found.group()
        issuer = _ISSUER.match(text.replace(" ", ""))
        if issuer and not record.issuer and text.endswith("文件"):
            record.issuer = issuer.group("name")
    record.title, before_title = _title(texts)
    record.issuer = record.issuer or before_title
    body = [t for t in texts if not _is_cover(t)]
    if body:
        record.purpose = body[-1]


def _title(texts: list[str]) -> tuple[str, str]:
    """(title, the issuer that precedes it): 某县科技局行政执法责任制实施方案 → (行政执法责任制实施方案,
    某县科技局); a 《…》 title in the cover notice comes first."""
    for text in texts:
        quoted = re.search(r"《([^《》]*执法责任制[^《》]*)》", text)
        if quoted:
            return "".join(quoted.group(1).split()), ""
    for text in texts:
        plain = "".join(text.split())
        found = re.search(r"(?:行政)?执法责任制.*(?:办法|方案|制度|规定|细则)$", plain)
        if found:
            issuer = plain[: found.start()]
            return found.group(), issuer if issuer.endswith(_ISSUER_ENDS) and len(issuer) >= 3 else ""
    return "行政执法责任制", ""


def _is_cover(text: str) -> bool:
    """The notice around the document: 发文机关 …文件, 文号, the 通知's title and closing."""
    return (
        text.endswith(("文件", "：", ":", "特此通知。"))
        or bool(_DOC_NUMBER.fullmatch(text))
        or "通知" in text
        or ("执法责任制" in text and len(text) <= 40)
    )


def _items(body: list[Paragraph], record: ResponsibilityRecord, section: str) -> list[_Item]:
    """Numbered items; an unnumbered paragraph continues the item before it."""
    items: list[_Item] = []
    for paragraph in body:
        text = _clean(paragraph.text)
        number = _ITEM_NUMBER.match(text)
        if number:
            label = next(g for g in number.groups() if g)
            items.append(_Item(label, [text[number.end() :]], paragraph.pos))
        elif items:
            items[-1].parts.append(text)
        else:
            record.warnings.append(
                Problem(paragraph.pos, f"「{SECTION_LABELS[section]}」部分中无法识别的段落：{text[:30]}")
            )
    return items


def _read_purpose(body: list[Paragraph], record: ResponsibilityRecord) -> None:
    record.purpose = "\n".join(_clean(p.text) for p in body)


def _read_bases(body: list[Paragraph], record: ResponsibilityRecord) -> None:
    heading, level = "", ""
    for paragraph in body:
        text = _clean(paragraph.text)
        number = _ITEM_NUMBER.match(text)
        content = text[number.end() :] if number else text
        if not number and _is_level_heading(content):
            heading, level = content.rstrip("：:"), _level_of(content)
            continue
        if not _LAWLIKE.search(content):
            if record.bases and record.bases[-1].article and not number:
                record.bases[-1].text += content  # the quoted article goes on
                record.bases[-1].article_text += content
                continue
            record.warnings.append(Problem(paragraph.pos, f"「执法依据」中无法识别的段落：{text[:30]}"))
            continue
        record.bases.append(_basis(content, heading, level, paragraph.pos))


def _is_level_heading(text: str) -> bool:
    if text.endswith(("：", ":")):
        return True
    return bool(_level_of(text)) and "通过" in text and not _LAWLIKE.search(text)


def _level_of(heading: str) -> str:
    return next((level for level, words in LEVEL_WORDS if words.search(heading)), "")


def _basis(text: str, heading: str, level: str, pos: SourcePos) -> BasisRecord:
    quoted = re.search(r"《([^《》]+)》", text)
    if quoted:
        title, rest = quoted.group(1), text[quoted.end() :]
    else:
        cut = re.search(r"[（(。：:；;]|第[" + _CN + r"千\d]+条", text)
        title, rest = (text[: cut.start()], text[cut.start() :]) if cut else (text, "")
    article = _ARTICLE.search(rest)
    quote = ""
    if article:
        quote = rest[article.end() :].lstrip("：: ")
    return BasisRecord(
        text=text,
        title="".join(title.split()).rstrip("。"),
        level=level,
        heading=heading,
        article=article.group() if article else "",
        article_number=article_number(article.group()) if article else None,
        article_text=quote,
        pos=pos,
    )


def _read_duties(body: list[Paragraph], record: ResponsibilityRecord) -> None:
    for item in _items(body, record, DUTIES):
        text = item.text
        units = [u for m in _LEAD.finditer(text) for u in _SPLIT_UNITS.split(m.group(1)) if u]
        text = _LEAD.sub("", text)
        keys = [_clean(m.group(1)) for m in _KEY.finditer(text)]
        text = _clean(_KEY.sub("", text))
        record.duties.append(ResponsibilityDutyRecord(item.number, text, units, keys, item.pos))


def _read_liabilities(body: list[Paragraph], record: ResponsibilityRecord) -> None:
    for item in _items(body, record, LIABILITIES):
        record.liabilities.append(ClauseRecord(item.number, item.text, item.pos))


def _read_assessment(body: list[Paragraph], record: ResponsibilityRecord) -> None:
    scheme = record.assessment
    supervision: list[str] = []
    listing = False  # after 「重点考核…内容：」 numbered paragraphs are 考核内容
    for paragraph in body:
        raw = _clean(paragraph.text)
        number = _ITEM_NUMBER.match(raw)
        text = raw[number.end() :] if number else raw
        aspect = _ASPECT.match(text)
        if aspect or (listing and number):
            scheme.aspects.append(text[aspect.end() if aspect else 0 :].rstrip("；;。，,"))
            continue
        listing = text.endswith(("：", ":")) and "考核" in text
        if not _read_scheme_sentence(text, scheme):
            if "监督" in text:
                supervision.append(text)
            elif not listing:
                record.warnings.append(Problem(paragraph.pos, f"「监督与考核」中无法识别的段落：{text[:30]}"))
    record.supervision = "\n".join(supervision)
    if not scheme.grades:
        record.warnings.append(Problem(SourcePos(record.source_name), "「监督与考核」中没有找到考核等次"))


def _read_scheme_sentence(text: str, scheme: AssessmentRecord) -> bool:
    """The 考核办法, 等次 (and who grades) or 结果运用 sentence; False for any other."""
    if ("办法" in text or "方式" in text) and "考核" in text:
        method = re.search(r"(?:通过|采取|采用|实行)(.+?)的?(?:办法|方式)", text)
        scheme.method = method.group(1).rstrip("的") if method else text
    elif "等次" in text or "等级" in text:
        scheme.grades = _grades(text)
        body_found = re.search(r"由(.+?)[，,]", text)
        scheme.body = body_found.group(1) if body_found else ""
    elif "结果" in text and ("依据" in text or "运用" in text or "作为" in text):
        scheme.use = text
    else:
        return False
    return True


def _grades(text: str) -> list[str]:
    """“优秀”“称职”“不称职”三个等次 → [优秀, 称职, 不称职]; also 优秀、称职、不称职三个等次."""
    quoted = _QUOTED.findall(text)
    grades = [
        g for g in quoted if "称职" in g or g in ("优秀", "良好", "合格", "不合格", "优", "良", "中", "差")
    ]
    if grades:
        return grades
    listed = re.search(
        r"(?:分为|按|评定为)([\u4e00-\u9fa5、和及]+?)[一二三四五六七八九十\d]+个等[次级]", text
    )
    return [g for g in re.split(r"[、和及]", listed.group(1)) if g] if listed else []


READERS = {
    PURPOSE: _read_purpose,
    BASES: _read_bases,
    DUTIES: _read_duties,
    LIABILITIES: _read_liabilities,
    ASSESSMENT: _read_assessment,
}
