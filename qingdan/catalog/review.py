"""Review and publication: 部门提交 → 法制审核 → 编办审核 → 发布.

Each step is checked against the permission rules, recorded as a ReviewStep (who, when, what they
said) and in the audit log, in one transaction. Returning a version makes it a draft again; the
approval of 编办审核 publishes it, and the version before stays in the history.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from qingdan.catalog.models import ListVersion, ReviewStep
from qingdan.catalog.services import owe_publication
from qingdan.core.audit import log
from qingdan.core.models import Role
from qingdan.core.permissions import Actor, can_edit, can_review, require
from qingdan.errors import QingdanError

# status under review → (stage, role that decides, status after approval)
STAGES = {
    ListVersion.LEGAL_REVIEW: ("legal", Role.LEGAL, ListVersion.APPROVAL_REVIEW),
    ListVersion.APPROVAL_REVIEW: ("approval", Role.APPROVER, ListVersion.PUBLISHED),
}
REASON_LABELS = dict(ListVersion.REASONS)


def submit(actor: Actor, version: ListVersion, reason: str, basis: str, comment: str = "") -> ListVersion:
    """A draft goes to 法制审核 with the reason for the change and its legal basis."""
    require(can_edit(actor, version.department), actor, f"提交{version.department.name}的清单")
    if reason not in REASON_LABELS:
        labels = "、".join(f"{k}（{v}）" for k, v in REASON_LABELS.items())
        raise QingdanError(f"调整原因「{reason}」无效，应为：{labels}")
    if not basis.strip():
        raise QingdanError("请写明调整依据（如文件名称和文号、法律条款）")
    with transaction.atomic():
        locked = _locked(version, ListVersion.DRAFT, "提交审核")
        published = locked.department.versions.published().order_by("-number").first()
        if published is not None and published.content_sha256 == locked.content_sha256:
            raise QingdanError(f"草稿与已发布的第 {published.number} 版相同，没有需要审核的修改")
        locked.change_reason, locked.change_basis = reason, basis.strip()
        locked.status = ListVersion.LEGAL_REVIEW
        locked.save(update_fields=["change_reason", "change_basis", "status", "updated_at"])
        _step(actor, locked, "department", ReviewStep.SUBMIT, comment)
    return locked


def approve(actor: Actor, version: ListVersion, comment: str = "") -> ListVersion:
    """The reviewer of the current stage approves: on to 编办审核, or published."""
    stage, _, after = _stage(actor, version)
    with transaction.atomic():
        locked = _locked(version, version.status, "审核")
        locked.status = after
        fields = ["status", "updated_at"]
        if after == ListVersion.PUBLISHED:
            locked.published_at = timezone.now()
            fields.append("published_at")
            owe_publication(locked)
        locked.save(update_fields=fields)
        _step(actor, locked, stage, ReviewStep.APPROVE, comment)
    return locked


def send_back(actor: Actor, version: ListVersion, comment: str) -> ListVersion:
    """The reviewer of the current stage returns the version to the department, saying why."""
    stage, _, _ = _stage(actor, version)
    if not comment.strip():
        raise QingdanError("退回时请写明意见，告诉部门需要修改什么")
    with transaction.atomic():
        locked = _locked(version, version.status, "退回")
        locked.status = ListVersion.DRAFT
        locked.save(update_fields=["status", "updated_at"])
        _step(actor, locked, stage, ReviewStep.RETURN, comment)
    return locked


def _stage(actor: Actor, version: ListVersion) -> tuple[str, str, str]:
    if version.status not in STAGES:
        raise QingdanError(f"第 {version.number} 版{version.get_status_display()}，不在审核中")
    stage, role, after = STAGES[version.status]
    require(
        can_review(actor, version.department, role),
        actor,
        f"对{version.department.name}的清单进行{dict(ReviewStep.STAGES)[stage]}",
    )
    return stage, role, after


def _locked(version: ListVersion, status: str, what: str) -> ListVersion:
    """The version, locked, still in ``status`` (someone may have acted on it meanwhile)."""
    locked = ListVersion.objects.select_for_update().select_related("department").get(pk=version.pk)
    if locked.status != status:
        raise QingdanError(
            f"第 {locked.number} 版现在{locked.get_status_display()}，不能{what}（可能已有人处理）"
        )
    return locked


def _step(actor: Actor, version: ListVersion, stage: str, action: str, comment: str) -> None:
    step = ReviewStep.objects.create(
        version=version,
        stage=stage,
        action=action,
        comment=comment.strip(),
        actor=actor.user,
        actor_name=str(actor)[:150],
    )
    log(
        actor,
        action,
        version,
        after={"stage": stage, "status": version.status, "comment": step.comment},
    )
