"""Editing a draft: every change to a list, from the browser, the API or the CLI, goes through
``edit_draft``.

An edit names an item by its path in the exchange format (``duties[3].tasks[1]``), is applied to
the draft as a ListRecord, checked, and written back in one transaction with one audit entry.
The draft's ``revision`` is the optimistic lock: a save based on an older revision is refused
and changes nothing, so two people editing the same list never overwrite each other.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction

from qingdan.catalog.models import ListVersion
from qingdan.catalog.services import PARTS, content_hash, record_of, replace_items
from qingdan.core.audit import log
from qingdan.core.models import Department
from qingdan.core.permissions import Actor, can_edit, require
from qingdan.errors import QingdanError
from qingdan.ingest.problems import IngestError
from qingdan.ingest.records import (
    UNIT_KINDS,
    BoundaryRecord,
    DutyRecord,
    ListRecord,
    PowerRecord,
    RegimeRecord,
    ServiceRecord,
    ShareRecord,
    TaskRecord,
    UnitRecord,
    plain,
)
from qingdan.ingest.validate import validate


class EditConflict(QingdanError):
    """The draft changed since the editor loaded it."""


class InvalidValue(QingdanError):
    """A value of an edit with the wrong type, or a name that is no field; ``field`` is its path
    in the edit (``values.text``)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}：{reason}")
        self.field, self.reason = field, reason


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    widget: str = "text"  # line | text | lines (one value per line) | units (choose units) | kind
    required: bool = False


# What each kind of item is made of, in form order. The collection name is the exchange format's.
FIELDS: dict[str, tuple[type, list[FieldSpec]]] = {
    "units": (
        UnitRecord,
        [
            FieldSpec("name", "名称", "line", True),
            FieldSpec("kind", "类别", "kind"),
            FieldSpec("phones", "联系电话", "lines"),
        ],
    ),
    "duties": (DutyRecord, [FieldSpec("no", "序号", "line"), FieldSpec("text", "主要职责", "text", True)]),
    "tasks": (
        TaskRecord,
        [
            FieldSpec("text", "具体工作事项", "text", True),
            FieldSpec("units", "承办科室", "units"),
            FieldSpec("note", "备注", "text"),
        ],
    ),
    "boundaries": (BoundaryRecord, [FieldSpec("matter", "管理事项", "text", True)]),
    "shares": (
        ShareRecord,
        [
            FieldSpec("department", "相关部门", "line", True),
            FieldSpec("division", "职责分工", "text"),
            FieldSpec("basis", "相关依据", "text"),
            FieldSpec("case", "案例", "text"),
        ],
    ),
    "services": (
        ServiceRecord,
        [
            FieldSpec("name", "服务事项", "text", True),
            FieldSpec("content", "主要内容", "text"),
            FieldSpec("units", "承办科室", "units"),
            FieldSpec("phones", "联系电话", "lines"),
        ],
    ),
    "supervision": (
        RegimeRecord,
        [
            FieldSpec("matter", "事项", "text", True),
            FieldSpec("objects", "监督检查对象", "text"),
            FieldSpec("content", "监督检查内容", "text"),
            FieldSpec("methods", "监督检查方式", "text"),
            FieldSpec("measures", "监督检查措施", "text"),
            FieldSpec("procedure", "监督检查程序", "text"),
            FieldSpec("handling", "监督检查处理", "text"),
        ],
    ),
    "powers": (
        PowerRecord,
        [
            FieldSpec("name", "事项名称", "text", True),
            FieldSpec("code", "事项编码", "line"),
            FieldSpec("type", "事项类型", "line"),
            FieldSpec("subitems", "子项", "text"),
            FieldSpec("basis", "设定依据", "text"),
            FieldSpec("subject", "实施主体", "line"),
            FieldSpec("units", "承办机构", "lines"),
            FieldSpec("duties", "责任事项", "text"),
            FieldSpec("accountability", "追责情形", "text"),
            FieldSpec("phones", "监督电话", "lines"),
        ],
    ),
}

KIND_LABELS = {
    "units": "科室",
    "duties": "主要职责",
    "tasks": "具体工作事项",
    "boundaries": "职责边界",
    "shares": "相关部门分工",
    "services": "公共服务事项",
    "supervision": "监管制度",
    "powers": "权力事项",
}

_STEP = re.compile(r"(\w+)\[(\d+)\]$")


@dataclass
class Edit:
    """One change. ``path`` names an item (``duties[2].tasks[0]``) or, for ``add``, the collection
    the new item goes into (``duties``, ``duties[2].tasks``, ``boundaries[0].shares``).

    op: save (set ``values``; with ``to``, also move it), add (new item from ``values``), remove,
    move (``delta`` places up or down), move_to (a task to the end of the duty at ``to``, e.g.
    ``duties[4]``; a share to another matter).
    """

    op: str
    path: str
    values: dict[str, Any] = field(default_factory=dict)
    delta: int = 0
    to: str = ""


def start_draft(actor: Actor, department: Department) -> ListVersion:
    """The department's draft: the open one, or a new one copied from the newest version."""
    require(can_edit(actor, department), actor, f"修改{department.name}的清单")
    with transaction.atomic():
        latest = department.versions.select_for_update().order_by("-number").first()
        if latest is not None and latest.status == ListVersion.DRAFT:
            return latest
        if latest is not None and latest.status != ListVersion.PUBLISHED:
            raise QingdanError(
                f"{department.name}第 {latest.number} 版{latest.get_status_display()}，"
                "审核结束（通过或退回）前不能修改。"
            )
        record = record_of(latest) if latest else ListRecord(department.name, department.jurisdiction.name)
        version = ListVersion.objects.create(
            department=department,
            number=latest.number + 1 if latest else 1,
            status=ListVersion.DRAFT,
            content_sha256="",
            created_by=actor.user,
            created_by_name=str(actor)[:150],
        )
        replace_items(version, record, content_hash(record), actor)
        based_on = {"based_on": latest.number} if latest else {}
        log(actor, "start_draft", version, after=based_on)
    return version


def edit_draft(actor: Actor, version: ListVersion, revision: int, edit: Edit) -> ListVersion:
    """Apply one edit to a draft whose revision the editor saw; refuses a stale revision."""
    require(can_edit(actor, version.department), actor, f"修改{version.department.name}的清单")
    with transaction.atomic():
        locked = ListVersion.objects.select_for_update().select_related("department").get(pk=version.pk)
        if locked.status != ListVersion.DRAFT:
            raise QingdanError(f"第 {locked.number} 版{locked.get_status_display()}，不能修改。")
        if locked.revision != revision:
            raise EditConflict(
                f"保存失败：您打开这份草稿之后，{locked.updated_by_name or '其他人'}"
                f"已修改过它（第 {locked.revision} 次保存，您看到的是第 {revision} 次）。"
                "您的修改没有保存，也没有覆盖别人的修改；请重新打开后再改。"
            )
        record = record_of(locked)
        before, after = apply_edit(record, edit)
        try:
            validate(record, f"第 {locked.number} 版草稿")
        except IngestError as exc:
            raise QingdanError(exc.message) from None
        replace_items(locked, record, content_hash(record), actor, *_what_to_write(edit))
        log(actor, "edit", locked, before={"path": edit.path, "item": before}, after=_logged(edit, after))
    return locked


def _what_to_write(edit: Edit) -> tuple[frozenset[str], int | None]:
    """The parts of the draft an edit changes, or (for a power saved in place) just that power."""
    section = _section(edit.path)
    if edit.op == "save" and section == "powers":
        return frozenset(), int(edit.path[len("powers[") : -1])
    return frozenset({PARTS[section]}), None


def _section(path: str) -> str:
    """The top-level section an edit's path is in: ``duties[2].tasks[0]`` → duties."""
    return path.split(".", 1)[0].split("[", 1)[0]


def _logged(edit: Edit, after: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"op": edit.op, "path": edit.path, "item": after}
    if edit.to:
        entry["to"] = edit.to
    return entry


# --- applying an edit to a record ------------------------------------------------------------


def apply_edit(record: ListRecord, edit: Edit) -> tuple[Any, Any]:
    """Change ``record`` in place; returns the item before and after (None when absent)."""
    if edit.op == "add":
        owner, kind = collection_at(record, edit.path)
        item = build_item(kind, edit.values, record)
        owner.append(item)
        return None, _plain(item)
    items, index, kind = locate(record, edit.path)
    item = items[index]
    before = _plain(item)
    if edit.op == "save":
        new = build_item(kind, edit.values, record, keep=item)
        if kind == "units":
            _rename_unit(record, item.name, new.name)
        items[index] = new
        if edit.to:
            _move_to(record, items, index, kind, edit.to)
        return before, _plain(new)
    if edit.op == "remove":
        if kind == "units":
            _refuse_if_used(record, item.name)
        del items[index]
        return before, None
    if edit.op == "move":
        target = index + edit.delta
        if not 0 <= target < len(items):
            raise QingdanError("已经在最前（或最后），不能再移动")
        items.insert(target, items.pop(index))
        return before, {"position": target}
    if edit.op == "move_to":
        _move_to(record, items, index, kind, edit.to)
        return before, {"moved_to": edit.to}
    raise QingdanError(f"未知的修改操作「{edit.op}」")


def _move_to(record: ListRecord, items: list[Any], index: int, kind: str, to: str) -> None:
    """Move a task to the end of another duty (a share to another matter)."""
    parent = {"tasks": "duties", "shares": "boundaries"}.get(kind)
    if parent is None or not re.fullmatch(rf"{parent}\[\d+\]", to):
        raise QingdanError(f"{KIND_LABELS[kind]}不能移到「{to}」")
    owners, owner_index, _ = locate(record, to)
    getattr(owners[owner_index], kind).append(items.pop(index))


def collection_at(record: ListRecord, path: str) -> tuple[list[Any], str]:
    """The list a new item is added to: ``duties`` or ``duties[2].tasks``."""
    head, _, tail = path.rpartition(".")
    owner: Any = record
    if head:
        items, index, _ = locate(record, head)
        owner = items[index]
    if tail not in FIELDS or not hasattr(owner, tail):
        raise QingdanError(f"路径「{path}」不是清单中的一个栏目")
    return getattr(owner, tail), tail


def locate(record: ListRecord, path: str) -> tuple[list[Any], int, str]:
    """The list holding the item at ``path``, its index and its kind."""
    owner: Any = record
    items: list[Any] = []
    index, kind = -1, ""
    for step in path.split("."):
        match = _STEP.match(step)
        if owner is None or not match or match.group(1) not in FIELDS or not hasattr(owner, match.group(1)):
            raise QingdanError(f"路径「{path}」不是清单中的一项")
        kind, index = match.group(1), int(match.group(2))
        items = getattr(owner, kind)
        if index >= len(items):
            raise QingdanError(f"「{path}」不存在：该栏目只有 {len(items)} 项（可能已被别人删除或移动）")
        owner = items[index]
    return items, index, kind


def build_item(kind: str, values: dict[str, Any], record: ListRecord, keep: Any = None) -> Any:
    """A new record of ``kind`` from form/API values; with ``keep`` (a save), ``keep`` with only
    the fields named in ``values`` changed — children (tasks, shares) and the fields no form shows
    (a power's 受委托单位, platform id, other columns) stay as they were."""
    cls, specs = FIELDS[kind]
    _refuse_unknown(kind, values, specs)
    data: dict[str, Any] = {}
    for spec in specs:
        if keep is not None and spec.name not in values:
            continue
        data[spec.name] = _checked(kind, spec, _clean(_typed(values.get(spec.name, ""), spec), spec), record)
    return cls(**data) if keep is None else replace(copy.deepcopy(keep), **data)


def _refuse_unknown(kind: str, values: dict[str, Any], specs: list[FieldSpec]) -> None:
    names = [s.name for s in specs]
    for name in values:
        if name not in names:
            raise InvalidValue(f"values.{name}", f"不是{KIND_LABELS[kind]}的字段（可用：{'、'.join(names)}）")


def _typed(value: Any, spec: FieldSpec) -> Any:
    """``value`` when its type fits the field: text, or for a list field text or a list of text."""
    as_list = spec.widget in ("lines", "units")
    if isinstance(value, str) or (
        as_list and isinstance(value, list) and all(isinstance(v, str) for v in value)
    ):
        return value
    wanted = "文本或文本数组" if as_list else "文本"
    empty = "[]" if as_list else '""'
    reason = f"应为{wanted}；要清空请传 {empty}" if value is None else f"应为{wanted}"
    raise InvalidValue(f"values.{spec.name}", reason)


def _checked(kind: str, spec: FieldSpec, value: Any, record: ListRecord) -> Any:
    if spec.required and not value:
        raise QingdanError(f"{KIND_LABELS[kind]}的「{spec.label}」不能为空")
    if spec.widget == "kind" and value not in UNIT_KINDS:
        raise QingdanError(f"「{value}」不是有效的机构类别，应为{'或'.join(UNIT_KINDS)}")
    if spec.widget == "units":
        known_units = {u.name for u in record.units}
        unknown = [n for n in value if n not in known_units]
        if unknown:
            raise QingdanError(f"「{'、'.join(unknown)}」不是本清单的科室，请先在「科室」中添加")
    return value


def _clean(value: Any, spec: FieldSpec) -> Any:
    if spec.widget in ("lines", "units"):
        if isinstance(value, str):
            value = re.split(r"[\n、,，;；]+", value)
        return [str(v).strip() for v in value if str(v).strip()]
    if spec.widget == "kind":
        return str(value or UNIT_KINDS[0]).strip()
    text = str(value).replace("\r\n", "\n").strip()
    return " ".join(text.split()) if spec.widget == "line" else text


def _rename_unit(record: ListRecord, old: str, new: str) -> None:
    if new != old and record.unit(new) is not None:
        raise QingdanError(f"已有名为「{new}」的科室")
    for item in [t for d in record.duties for t in d.tasks] + record.services:
        item.units = [new if n == old else n for n in item.units]


def _refuse_if_used(record: ListRecord, name: str) -> None:
    tasks = sum(name in t.units for d in record.duties for t in d.tasks)
    services = sum(name in s.units for s in record.services)
    if tasks or services:
        raise QingdanError(
            f"「{name}」仍承办 {tasks} 项工作事项、{services} 项公共服务，请先把这些事项改由其他科室承办"
        )


def _plain(item: Any) -> dict[str, Any]:
    data = plain(item)
    for child in ("tasks", "shares"):
        if child in data:
            data[child] = len(data[child])  # the log records the item itself, not its children
    return data
