"""People and posts: enforcement officers (执法人员) with their certificates, posts (岗位) inside
units and what each carries, and the leaders (局领导) with the units they are in charge of.

Every write here is a service: it checks who acts (``can_edit_staff``), validates against the
department's current published list (its 科室, 主要职责, 具体工作事项, 权力事项) and its 执法责任制,
writes inside ``transaction.atomic()`` and records the change in the audit log. The web pages,
the API and the command line call these functions and nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qingdan.catalog.currency import current_version, normalised
from qingdan.catalog.models import Duty, PowerItem, Task
from qingdan.core.audit import log
from qingdan.core.models import Department
from qingdan.core.permissions import Actor, can_edit, can_see_drafts, require
from qingdan.enforcement.models import Leader, Officer, Post, PostItem, ResponsibilityDuty
from qingdan.errors import QingdanError
from qingdan.ingest.dates import parse_date

# --- who may ------------------------------------------------------------------------------


def can_see_staff(actor: Actor, department: Department) -> bool:
    """Officers with their certificates, posts, leaders: the department's 填报员, the reviewers
    of its jurisdiction and administrators. The public sees the public matrix only."""
    return can_see_drafts(actor, department)


def can_edit_staff(actor: Actor, department: Department) -> bool:
    """Add, change, remove and import: the department's own 填报员, or an administrator."""
    return can_edit(actor, department)


def require_edit(actor: Actor, department: Department) -> None:
    require(can_edit_staff(actor, department), actor, f"修改{department.name}的执法人员和岗位")


def require_see(actor: Actor, department: Department) -> None:
    require(can_see_staff(actor, department), actor, f"查看{department.name}的执法人员")


# --- certificates -------------------------------------------------------------------------

STATUS_LABELS = dict(Officer.STATES)
STATUS_CODES = {label: code for code, label in Officer.STATES}


def warning_days() -> int:
    return int(getattr(settings, "QINGDAN_CERTIFICATE_WARNING_DAYS", 30))


@dataclass(frozen=True)
class Flag:
    """How an officer's certificate stands on a day: ``code`` for programs, ``label`` for people."""

    code: str  # "" (valid), expiring, expired, not_yet, missing, inactive
    label: str

    @property
    def blocking(self) -> bool:
        return self.code not in ("", "expiring")


def certificate_flag(officer: Officer, day: dt.date | None = None, days: int | None = None) -> Flag:
    day = day or timezone.localdate()
    days = warning_days() if days is None else days
    if officer.status != Officer.ACTIVE:
        return Flag("inactive", STATUS_LABELS.get(officer.status, officer.status))
    if not officer.certificate_number:
        return Flag("missing", "无执法证")
    if officer.valid_from and day < officer.valid_from:
        return Flag("not_yet", f"执法证 {officer.valid_from:%Y-%m-%d} 起有效")
    if officer.valid_until is None:
        return Flag("", "")
    if day > officer.valid_until:
        return Flag("expired", f"执法证已于 {officer.valid_until:%Y-%m-%d} 过期")
    left = (officer.valid_until - day).days
    if left <= days:
        return Flag("expiring", f"执法证 {left} 天后到期（{officer.valid_until:%Y-%m-%d}）")
    return Flag("", "")


def require_certified(officer: Officer, day: dt.date | None = None) -> None:
    """Refuse, in Chinese, an officer who may not act on ``day``: not on duty, no certificate,
    a certificate not yet valid or expired. Enforcement cases call this before anything else."""
    flag = certificate_flag(officer, day or timezone.localdate(), 0)
    if flag.blocking:
        reason = {
            "inactive": f"状态为「{flag.label}」",
            "missing": "没有登记执法证号",
        }.get(flag.code, flag.label)
        raise QingdanError(f"执法人员{officer.name}不能从事执法活动：{reason}。")


# --- what the department's lists name -----------------------------------------------------


@dataclass
class Known:
    """The department's units and items to validate against: the current published list and
    the 执法责任制 (its 牵头科室 and 职责)."""

    units: list[str] = field(default_factory=list)
    duties: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    powers: list[tuple[str, str]] = field(default_factory=list)  # (name, code)
    responsibilities: list[tuple[str, str]] = field(default_factory=list)  # (text, number)

    def unit(self, name: str) -> str:
        """The unit as the lists spell it, or a refusal naming the units there are."""
        name = name.strip()
        wanted = normalised(name)
        for unit in self.units:
            if normalised(unit) == wanted:
                return unit
        if not self.units:
            raise QingdanError("该部门还没有已发布的清单，无法核对科室名称。请先导入并发布清单。")
        raise QingdanError(f"科室「{name}」不在本部门清单中（现有科室：{'、'.join(self.units)}）")

    def item(self, kind: str, ref: str) -> str:
        """The item's text as the list writes it (a power may be named by its 事项编码)."""
        labels = dict(PostItem.KINDS)
        if kind not in labels:
            raise QingdanError(f"未知的事项类别「{kind}」（可用：{'、'.join(labels.values())}）")
        wanted = normalised(ref)
        if not wanted:
            raise QingdanError(f"{labels[kind]}不能为空")
        if kind == PostItem.POWER:
            for name, code in self.powers:
                if wanted in (normalised(name), normalised(code)) and wanted:
                    return name
        elif kind == PostItem.RESPONSIBILITY:
            for text, number in self.responsibilities:
                if wanted in (normalised(text), normalised(number)):
                    return text
        else:
            for text in self.duties if kind == PostItem.DUTY else self.tasks:
                if normalised(text) == wanted:
                    return text
        raise QingdanError(f"{labels[kind]}「{ref.strip()[:60]}」不在本部门现行清单或执法责任制中")


def known_of(department: Department) -> Known:
    known = Known()
    version = current_version(department)
    if version is not None:
        known.units = list(version.units.values_list("name", flat=True))
        known.duties = list(Duty.objects.filter(version=version).values_list("text", flat=True))
        known.tasks = list(Task.objects.filter(duty__version=version).values_list("text", flat=True))
        known.powers = list(PowerItem.objects.filter(version=version).values_list("name", "code"))
    for duty in ResponsibilityDuty.objects.filter(system__department=department):
        known.responsibilities.append((duty.text, duty.number))
        for unit in duty.lead_units:
            if unit not in known.units:
                known.units.append(unit)
    return known


# --- officers -----------------------------------------------------------------------------

OFFICER_FIELDS = [
    "name",
    "unit",
    "post",
    "certificate_number",
    "category",
    "area",
    "valid_from",
    "valid_until",
    "legal_qualification",
    "status",
    "public",
]


def officer_json(officer: Officer) -> dict[str, Any]:
    return {
        "name": officer.name,
        "unit": officer.unit,
        "post": officer.post.name if officer.post else "",
        "certificate_number": officer.certificate_number,
        "category": officer.category,
        "area": officer.area,
        "valid_from": officer.valid_from.isoformat() if officer.valid_from else "",
        "valid_until": officer.valid_until.isoformat() if officer.valid_until else "",
        "legal_qualification": officer.legal_qualification,
        "status": officer.status,
        "public": officer.public,
    }


def _clean_officer(department: Department, known: Known, values: dict[str, Any]) -> dict[str, Any]:
    name = str(values.get("name", "")).strip()
    if not name:
        raise QingdanError("姓名不能为空")
    unit = str(values.get("unit", "")).strip()
    unit = known.unit(unit) if unit else ""
    post_name = str(values.get("post", "")).strip()
    post = None
    if post_name:
        if not unit:
            raise QingdanError(f"岗位「{post_name}」需要同时写明科室")
        post = Post.objects.filter(department=department, unit=unit, name=post_name).first()
        if post is None:
            raise QingdanError(f"{unit}没有岗位「{post_name}」，请先新增岗位")
    status = str(values.get("status", "") or Officer.ACTIVE).strip()
    status = STATUS_CODES.get(status, status)
    if status not in STATUS_LABELS:
        raise QingdanError(f"状态「{status}」无效（可用：{'、'.join(STATUS_LABELS.values())}）")
    valid_from = _date_value(values.get("valid_from"), "证件有效期自")
    valid_until = _date_value(values.get("valid_until"), "证件有效期至")
    if valid_from and valid_until and valid_until < valid_from:
        raise QingdanError("证件有效期至早于证件有效期自")
    return {
        "name": name,
        "unit": unit,
        "post": post,
        "certificate_number": str(values.get("certificate_number", "")).strip(),
        "category": str(values.get("category", "")).strip(),
        "area": str(values.get("area", "")).strip(),
        "valid_from": valid_from,
        "valid_until": valid_until,
        "legal_qualification": _bool_value(values.get("legal_qualification"), "法律职业资格"),
        "status": status,
        "public": _bool_value(values.get("public"), "公开姓名"),
    }


def _date_value(value: Any, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    day = parse_date(str(value))
    if day is None:
        raise QingdanError(f"{label}「{value}」不是日期（可写 2027-06-30、2027/6/30 或 2027年6月30日）")
    return day


def _bool_value(value: Any, label: str) -> bool:
    if isinstance(value, bool):
        return value
    parsed = parse_yes_no(str(value or ""))
    if parsed is None:
        raise QingdanError(f"{label}「{value}」应写 是/否 或 有/无")
    return parsed


def _certificate_free(number: str, officer: Officer | None) -> None:
    if not number:
        return
    others = Officer.objects.filter(certificate_number=number)
    other = (others.exclude(pk=officer.pk) if officer is not None else others).first()
    if other is not None:
        raise QingdanError(f"执法证号「{number}」已登记给{other.department.name}的{other.name}")


def save_officer(
    actor: Actor, department: Department, values: dict[str, Any], officer: Officer | None = None
) -> Officer:
    """Add an officer (``officer`` None) or change one of this department's."""
    require_edit(actor, department)
    if officer is not None and officer.department_id != department.pk:
        raise QingdanError(f"{officer.name}不是{department.name}的执法人员")
    cleaned = _clean_officer(department, known_of(department), values)
    with transaction.atomic():
        _certificate_free(cleaned["certificate_number"], officer)
        before = officer_json(officer) if officer else None
        officer = officer or Officer(department=department)
        for key, value in cleaned.items():
            setattr(officer, key, value)
        officer.updated_by_name = actor.name
        officer.save()
        log(actor, "officer_save", officer, before, officer_json(officer))
    return officer


def _remove(actor: Actor, thing: Officer | Post | Leader, action: str, described: dict[str, Any]) -> None:
    """Delete one of a department's officers, posts or leaders, what it was kept in the audit log."""
    require_edit(actor, thing.department)
    with transaction.atomic():
        log(actor, action, thing, described)
        thing.delete()


def remove_officer(actor: Actor, officer: Officer) -> None:
    _remove(actor, officer, "officer_remove", officer_json(officer))


# --- posts --------------------------------------------------------------------------------


def post_json(post: Post) -> dict[str, Any]:
    return {
        "unit": post.unit,
        "name": post.name,
        "description": post.description,
        "items": [{"kind": i.kind, "ref": i.ref} for i in post.items.all()],
    }


def save_post(
    actor: Actor,
    department: Department,
    unit: str,
    name: str,
    items: Iterable[tuple[str, str]] = (),
    description: str = "",
    post: Post | None = None,
) -> Post:
    """Add a post in a unit (or change one): what it carries is replaced by ``items``, each a
    (kind, text or 事项编码) checked against the current list and the 执法责任制."""
    require_edit(actor, department)
    if post is not None and post.department_id != department.pk:
        raise QingdanError(f"岗位「{post}」不属于{department.name}")
    known = known_of(department)
    unit = known.unit(unit)
    name = name.strip()
    if not name:
        raise QingdanError("岗位名称不能为空")
    carried: list[tuple[str, str]] = []
    for kind, ref in items:
        if not str(ref).strip():
            continue
        entry = (kind, known.item(kind, ref))
        if entry not in carried:
            carried.append(entry)
    with transaction.atomic():
        clash = Post.objects.filter(department=department, unit=unit, name=name)
        if (clash.exclude(pk=post.pk) if post is not None else clash).exists():
            raise QingdanError(f"{unit}已有岗位「{name}」")
        before = post_json(post) if post else None
        post = post or Post(department=department)
        post.unit, post.name, post.description = unit, name, description.strip()
        post.updated_by_name = actor.name
        post.save()
        post.items.all().delete()
        PostItem.objects.bulk_create([PostItem(post=post, kind=k, ref=r) for k, r in carried])
        Officer.objects.filter(post=post).exclude(unit=unit).update(unit=unit)
        log(actor, "post_save", post, before, post_json(post))
    return post


def remove_post(actor: Actor, post: Post) -> None:
    _remove(actor, post, "post_remove", post_json(post))


# --- leaders ------------------------------------------------------------------------------


def leader_json(leader: Leader) -> dict[str, Any]:
    return {
        "name": leader.name,
        "title": leader.title,
        "units": list(leader.units),
        "position": leader.position,
    }


def save_leader(
    actor: Actor,
    department: Department,
    name: str,
    title: str = "",
    units: Iterable[str] = (),
    position: int | None = None,
    leader: Leader | None = None,
) -> Leader:
    """Add a leader (or change one) with the units they are in charge of (分管科室)."""
    require_edit(actor, department)
    if leader is not None and leader.department_id != department.pk:
        raise QingdanError(f"{leader}不是{department.name}的领导")
    name = name.strip()
    if not name:
        raise QingdanError("姓名不能为空")
    known = known_of(department)
    checked: list[str] = []
    for unit in filter(str.strip, units):
        if (name_of_unit := known.unit(unit)) not in checked:
            checked.append(name_of_unit)
    with transaction.atomic():
        before = leader_json(leader) if leader else None
        leader = leader or Leader(department=department)
        if position is None and leader.pk is None:
            position = Leader.objects.filter(department=department).count() + 1
        leader.name, leader.title, leader.units = name, title.strip(), checked
        if position is not None:
            leader.position = position
        leader.updated_by_name = actor.name
        leader.save()
        log(actor, "leader_save", leader, before, leader_json(leader))
    return leader


def remove_leader(actor: Actor, leader: Leader) -> None:
    _remove(actor, leader, "leader_remove", leader_json(leader))


def split_units(text: str) -> list[str]:
    """「办公室、财计股」 → the names (、，,；; and spaces separate)."""
    return [u for u in re.split(r"[、，,；;\s]+", text or "") if u]


# --- values as people write them -----------------------------------------------------------

YES = {"是", "有", "具备", "具有", "√", "Y", "YES", "TRUE", "1"}
NO = {"否", "无", "没有", "不具备", "×", "N", "NO", "FALSE", "0", ""}


def parse_yes_no(text: str) -> bool | None:
    value = text.strip().upper()
    if value in YES:
        return True
    if value in NO:
        return False
    return None
