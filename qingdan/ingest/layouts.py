"""The table layouts of the official 登记表 and of provincial power-list exports.

Interpretation recognises a table by its header row using the synonyms here; the xlsx/docx/csv
exports write the ``label`` of each column, so export → import meets the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    synonyms: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


@dataclass(frozen=True)
class Layout:
    kind: str  # duties, boundaries, services, supervision, powers, units
    title: str  # the section title an export writes above the table
    columns: tuple[Column, ...]
    required: tuple[str, ...]  # fields whose columns must be present to recognise the table

    def labels(self) -> list[str]:
        return [c.label for c in self.columns]

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


NO = Column("no", "序号", ("编号", "序", "序列号"))

DUTIES = Layout(
    "duties",
    "部门职责登记表",
    (
        NO,
        Column("duty", "主要职责", ("职责", "部门职责", "主要职能")),
        Column("task", "具体工作事项", ("工作事项", "具体事项", "具体工作")),
        Column("units", "责任科室", ("责任股室", "责任处室", "承办科室", "责任单位", "责任部门", "科室")),
        Column("phones", "联系方式", ("联系电话", "电话", "科室电话")),
        Column("note", "备注", ("说明",)),
    ),
    required=("duty", "task"),
)

BOUNDARIES = Layout(
    "boundaries",
    "与相关部门的职责边界登记表",
    (
        NO,
        Column("matter", "管理事项", ("事项", "职责边界事项", "边界事项")),
        Column("department", "相关部门", ("部门", "涉及部门")),
        Column("division", "职责分工", ("分工", "部门职责分工")),
        Column("basis", "相关依据", ("依据", "法律依据", "职责依据")),
        Column("case", "案例", ("典型案例", "相关案例")),
    ),
    required=("matter", "department", "division"),
)

SERVICES = Layout(
    "services",
    "公共服务事项登记表",
    (
        NO,
        Column("name", "服务事项", ("公共服务事项", "服务名称", "事项名称")),
        Column("content", "主要内容", ("主要工作内容", "服务内容", "工作内容")),
        Column("units", "承办机构", ("承办科室", "责任科室", "办理机构")),
        Column("phones", "联系电话", ("联系方式", "电话", "咨询电话")),
    ),
    required=("name", "units"),
)

SUPERVISION = Layout(
    "supervision",
    "事中事后监管制度",
    (
        NO,
        Column("matter", "事项", ("监管事项", "管理事项", "制度名称")),
        Column("objects", "监督检查对象", ("检查对象", "监管对象")),
        Column("content", "监督检查内容", ("检查内容", "监管内容")),
        Column("methods", "监督检查方式", ("检查方式", "监管方式")),
        Column("measures", "监督检查措施", ("检查措施", "监管措施")),
        Column("procedure", "监督检查程序", ("检查程序", "监管程序")),
        Column("handling", "监督检查处理", ("检查处理", "处理", "监管处理")),
    ),
    required=("matter", "objects", "content"),
)

POWERS = Layout(
    "powers",
    "权力清单",
    (
        Column("code", "事项编码", ("编码", "职权编码", "权力编码", "基本编码", "itemcode", "code")),
        Column(
            "name",
            "事项名称",
            ("职权名称", "权力名称", "服务事项", "权力事项名称", "权责事项", "itemname", "name"),
        ),
        Column("type", "事项类型", ("职权类型", "权力类型", "权力类别", "事项类别", "itemtype", "type")),
        Column("subitems", "子项", ("子项名称", "子项目", "subitems")),
        Column(
            "basis",
            "设定依据",
            ("实施依据", "法律依据", "设定和实施依据", "依据", "法定依据", "basis"),
        ),
        Column("subject", "实施主体", ("行使主体", "行驶主体", "实施机关", "执法主体", "subject")),
        Column("units", "承办机构", ("承办科室", "责任科室", "内设机构", "责任处室", "units")),
        Column("duties", "责任事项", ("责任事项内容", "责任内容", "duties")),
        Column(
            "accountability", "追责情形", ("追责对象范围", "问责情形", "追责情形及依据", "accountability")
        ),
        Column(
            "phones",
            "监督电话",
            (
                "监管电话",
                "监督投诉电话",
                "投诉举报电话",
                "咨询投诉电话",
                "联系电话",
                "咨询电话",
                "投诉电话",
                "监督举报电话",
                "phones",
                "phone",
                "tel",
            ),
        ),
        Column("entrusted_to", "受委托单位", ("受委托组织", "受委托机关", "被委托单位", "entrusted_to")),
        Column(
            "source_id",
            "平台事项标识",
            (
                "id",
                "事项id",
                "itemid",
                "唯一标识",
                "事项唯一标识",
                "事项标识",
                "rowguid",
                "guid",
                "source_id",
            ),
        ),
        # what an export writes for the columns a source had beyond the elements: 「列名：内容」 lines
        Column("extra", "其他信息", ("extra",)),
    ),
    required=("name",),
)

UNITS = Layout(
    "units",
    "内设机构及联系方式",
    (
        NO,
        Column("name", "机构名称", ("内设机构", "科室名称", "单位名称")),
        Column("kind", "机构类别", ("类别", "性质")),
        Column("phones", "联系电话", ("电话", "联系方式")),
    ),
    required=("name", "kind"),
)

# the power elements an export writes only when some item has them
OPTIONAL_POWER_FIELDS = ("entrusted_to", "source_id", "extra")

LAYOUTS = (DUTIES, BOUNDARIES, SERVICES, SUPERVISION, UNITS, POWERS)

_NOISE = re.compile(r"[\s\u3000\xa0:：*＊()（）_\-]+")


def normalize_header(text: str) -> str:
    """Fold a header cell for matching: 「管理\\n事项」 and 「 管理事项：」 both give 管理事项."""
    return _NOISE.sub("", text).lower()


_INDEX: dict[str, dict[str, str]] = {
    layout.kind: {normalize_header(n): c.field for c in layout.columns for n in c.names()}
    for layout in LAYOUTS
}


def match_header(texts: list[str]) -> tuple[Layout, dict[int, str]] | None:
    """The layout a header row belongs to and which column holds which field, or None.

    When several layouts fit (服务事项 names both a service and a power), the one that matches
    more columns wins; ties go to the earlier layout in LAYOUTS.
    """
    best: tuple[int, Layout, dict[int, str]] | None = None
    keys = [normalize_header(t) for t in texts]
    for layout in LAYOUTS:
        index = _INDEX[layout.kind]
        mapping: dict[int, str] = {}
        for i, key in enumerate(keys):
            fieldname = index.get(key)
            if fieldname and fieldname not in mapping.values():
                mapping[i] = fieldname
        if not all(f in mapping.values() for f in layout.required):
            continue
        score = len(mapping)
        if best is None or score > best[0]:
            best = (score, layout, mapping)
    return (best[1], best[2]) if best else None
