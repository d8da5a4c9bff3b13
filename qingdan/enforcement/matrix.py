"""The responsibility matrix (三级责任): for each 主要职责, 具体工作事项 and 权力事项 of the
department's current published list, and each 职责 of its 执法责任制 — 分管领导 → 科室 → 岗位 →
执法人员, with the legal basis the list cites; and the reverse, what one person answers for.

Units come from the item itself (责任科室 of its tasks, 承办机构, 牵头科室) and from the posts
that carry it (``PostItem``); leaders from their 分管科室. Gaps (a power no post carries, a post
with nobody certified, a unit with no 分管领导) are 清单体检 findings: ``matrix_findings``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from qingdan.catalog.currency import current_version, normalised
from qingdan.catalog.models import Duty, LegalCitation, PowerItem
from qingdan.checks.base import WARNING, FindingRecord, Location
from qingdan.core.models import Department
from qingdan.enforcement.models import Leader, Officer, Post, PostItem, ResponsibilityDuty
from qingdan.enforcement.staff import Flag, certificate_flag

KIND_LABELS = dict(PostItem.KINDS)


@dataclass
class Holder:
    officer: Officer
    flag: Flag

    @property
    def certified(self) -> bool:
        return not self.flag.blocking

    def as_json(self, full: bool) -> dict[str, Any]:
        shown = full or self.officer.public
        data: dict[str, Any] = {"name": self.officer.name if shown else "", "certified": self.certified}
        if full:
            data.update(
                certificate_number=self.officer.certificate_number,
                flag=self.flag.code,
                flag_label=self.flag.label,
            )
        return data


@dataclass
class PostLink:
    post: Post
    people: list[Holder] = field(default_factory=list)

    def as_json(self, full: bool) -> dict[str, Any]:
        return {
            "post": self.post.name,
            "people": [h.as_json(full) for h in self.people if full or h.officer.public],
            "people_count": len(self.people),
        }


@dataclass
class UnitLink:
    name: str
    leaders: list[Leader] = field(default_factory=list)
    posts: list[PostLink] = field(default_factory=list)

    def as_json(self, full: bool) -> dict[str, Any]:
        return {
            "unit": self.name,
            "leaders": [{"name": x.name, "title": x.title} for x in self.leaders],
            "posts": [p.as_json(full) for p in self.posts],
        }


@dataclass
class Entry:
    """One item of the list (or the 执法责任制) with its chain of responsibility."""

    kind: str
    anchor: str
    text: str
    code: str = ""
    units: list[UnitLink] = field(default_factory=list)
    bases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def as_json(self, full: bool) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_label": self.kind_label,
            "id": self.anchor,
            "text": self.text,
            "code": self.code,
            "units": [u.as_json(full) for u in self.units],
            "bases": self.bases,
        }


@dataclass
class People:
    """The department's leaders, posts and officers, read once."""

    leaders: list[Leader]
    posts: list[Post]
    officers: list[Officer]
    day: dt.date
    carried: dict[tuple[str, str], list[Post]] = field(default_factory=dict)
    in_post: dict[int, list[Holder]] = field(default_factory=dict)

    @classmethod
    def of(cls, department: Department, day: dt.date | None = None) -> People:
        day = day or timezone.localdate()
        posts = list(Post.objects.filter(department=department).prefetch_related("items"))
        officers = list(Officer.objects.filter(department=department).select_related("post"))
        people = cls(list(Leader.objects.filter(department=department)), posts, officers, day)
        carried: dict[tuple[str, str], list[Post]] = defaultdict(list)
        for post in posts:
            for item in post.items.all():
                carried[(item.kind, normalised(item.ref))].append(post)
        people.carried = dict(carried)
        in_post: dict[int, list[Holder]] = defaultdict(list)
        for officer in officers:
            if officer.post_id:
                in_post[officer.post_id].append(Holder(officer, certificate_flag(officer, day)))
        people.in_post = dict(in_post)
        return people

    def leaders_of(self, unit: str) -> list[Leader]:
        return [x for x in self.leaders if unit in x.units]

    def chain(self, kind: str, keys: list[str], units: list[str]) -> list[UnitLink]:
        posts: list[Post] = []
        for key in keys:
            for post in self.carried.get((kind, normalised(key)), []):
                if post not in posts:
                    posts.append(post)
        names = list(dict.fromkeys([*units, *(p.unit for p in posts)]))
        return [
            UnitLink(
                name,
                self.leaders_of(name),
                [PostLink(p, self.in_post.get(p.pk, [])) for p in posts if p.unit == name],
            )
            for name in names
        ]


def matrix_entries(department: Department, day: dt.date | None = None) -> list[Entry]:
    """Every item of the current published list and of the 执法责任制, with its chain."""
    people = People.of(department, day)
    entries: list[Entry] = []
    version = current_version(department)
    if version is not None:
        duties = Duty.objects.filter(version=version).prefetch_related("tasks__taskunit_set__unit")
        for duty in duties:
            tasks = list(duty.tasks.all())
            task_units = {
                t.pk: [tu.unit.name for tu in sorted(t.taskunit_set.all(), key=lambda x: x.position)]
                for t in tasks
            }
            all_units = list(dict.fromkeys(u for t in tasks for u in task_units[t.pk]))
            text = duty.text
            entries.append(
                Entry(
                    PostItem.DUTY,
                    f"duty-{duty.pk}",
                    text,
                    duty.no,
                    people.chain(PostItem.DUTY, [text], all_units),
                )
            )
            for task in tasks:
                if not task.text:
                    continue
                entries.append(
                    Entry(
                        PostItem.TASK,
                        f"task-{task.pk}",
                        task.text,
                        "",
                        people.chain(PostItem.TASK, [task.text], task_units[task.pk]),
                    )
                )
        citations: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for c in LegalCitation.objects.filter(version=version, power__isnull=False).select_related("law"):
            citations[c.power_id or 0].append(
                {
                    "title": c.title,
                    "article": c.article,
                    "law_id": c.law_id,
                    "law": c.law.title if c.law else "",
                }
            )
        for power in PowerItem.objects.filter(version=version):
            keys = [k for k in (power.name, power.code) if k]
            entries.append(
                Entry(
                    PostItem.POWER,
                    f"power-{power.pk}",
                    power.name,
                    power.code,
                    people.chain(PostItem.POWER, keys, list(power.units)),
                    citations.get(power.pk, []),
                )
            )
    for rduty in ResponsibilityDuty.objects.filter(system__department=department):
        keys = [k for k in (rduty.text, rduty.number) if k]
        entries.append(
            Entry(
                PostItem.RESPONSIBILITY,
                f"responsibility-{rduty.pk}",
                rduty.text,
                rduty.number,
                people.chain(PostItem.RESPONSIBILITY, keys, list(rduty.lead_units)),
            )
        )
    return entries


@dataclass
class Answer:
    """What one person answers for: an officer through their post and unit, a leader through
    the units they are in charge of."""

    name: str
    role: str  # 执法人员 / 局领导
    via: str  # the post, or the 分管科室
    flag: Flag | None
    by_post: list[Entry] = field(default_factory=list)
    by_unit: list[Entry] = field(default_factory=list)
    leaders: list[Leader] = field(default_factory=list)

    def as_json(self, full: bool = True) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "via": self.via,
            "flag": self.flag.label if self.flag else "",
            "leaders": [{"name": x.name, "title": x.title} for x in self.leaders],
            "by_post": [{"kind_label": e.kind_label, "text": e.text, "code": e.code} for e in self.by_post],
            "by_unit": [{"kind_label": e.kind_label, "text": e.text, "code": e.code} for e in self.by_unit],
        }


def answers_for(department: Department, name: str, day: dt.date | None = None) -> list[Answer]:
    """Everyone of this name (officers and leaders) with what they answer for."""
    entries = matrix_entries(department, day)
    day = day or timezone.localdate()
    answers = []
    name = name.strip()
    for officer in Officer.objects.filter(department=department, name=name).select_related("post"):
        answers.append(answer_of_officer(officer, entries, day))
    for leader in Leader.objects.filter(department=department, name=name):
        answer = Answer(
            leader.name,
            f"局领导（{leader.title}）" if leader.title else "局领导",
            "、".join(leader.units),
            None,
        )
        answer.by_unit = [e for e in entries if any(u.name in leader.units for u in e.units)]
        answers.append(answer)
    return answers


def answer_of_officer(officer: Officer, entries: list[Entry], day: dt.date) -> Answer:
    via = f"{officer.unit}·{officer.post.name}" if officer.post else officer.unit
    answer = Answer(officer.name, "执法人员", via, certificate_flag(officer, day))
    for entry in entries:
        posts = [p.post.pk for u in entry.units for p in u.posts]
        if officer.post_id and officer.post_id in posts:
            answer.by_post.append(entry)
        elif officer.unit and any(u.name == officer.unit for u in entry.units):
            answer.by_unit.append(entry)
    answer.leaders = [
        x for x in Leader.objects.filter(department=officer.department) if officer.unit in x.units
    ]
    return answer


# --- gaps as 清单体检 findings ---------------------------------------------------------------


def matrix_findings(department: Department, day: dt.date | None = None) -> list[FindingRecord]:
    """A power no post carries, a post with nobody certified, a unit with no 分管领导."""
    day = day or timezone.localdate()
    people = People.of(department, day)
    findings: list[FindingRecord] = []
    version = current_version(department)
    units: list[str] = []
    if version is not None:
        units = list(version.units.values_list("name", flat=True))
        for index, power in enumerate(PowerItem.objects.filter(version=version)):
            keys = [k for k in (power.name, power.code) if k]
            if any(people.carried.get((PostItem.POWER, normalised(k))) for k in keys):
                continue
            findings.append(
                FindingRecord(
                    "matrix.power_without_post",
                    WARNING,
                    "权力事项没有落实到岗位",
                    [Location.power(index)],
                    f"权力事项「{power.name}」没有任何岗位承担。",
                    power.code or power.name,
                    "在执法人员与岗位页为承办科室的岗位添加这项权力事项。",
                    department.name,
                )
            )
    for post in people.posts:
        holders = people.in_post.get(post.pk, [])
        if any(h.certified for h in holders):
            continue
        who = "没有人员" if not holders else "人员都没有有效执法证"
        findings.append(
            FindingRecord(
                "matrix.post_without_certified",
                WARNING,
                "岗位没有持有效执法证的人员",
                [Location(f"岗位「{post.unit}·{post.name}」")],
                f"岗位「{post.unit}·{post.name}」{who}。",
                f"{post.unit}·{post.name}",
                "为该岗位配备持有效执法证的人员，或更新执法证有效期。",
                department.name,
            )
        )
    for unit in ResponsibilityDuty.objects.filter(system__department=department).values_list(
        "lead_units", flat=True
    ):
        units += [u for u in unit if u not in units]
    for index, name in enumerate(units):
        if people.leaders_of(name):
            continue
        findings.append(
            FindingRecord(
                "matrix.unit_without_leader",
                WARNING,
                "科室没有分管领导",
                [Location.unit(index, name)],
                f"科室「{name}」没有登记分管领导。",
                name,
                "在执法人员与岗位页为局领导填写分管科室。",
                department.name,
            )
        )
    return findings
