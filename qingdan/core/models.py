"""Jurisdictions, the departments that belong to them, and the people who keep their lists.

Each user has one role, and a department or jurisdiction it applies to: 部门填报员 edit their
own department's drafts; 法制审核员 and 编办审核员 review every department of their jurisdiction;
系统管理员 do everything. The rules themselves live in ``permissions``.

The audit log is here too: one row per change to the registry, each chained to the one before by
SHA-256. Rows are appended by ``qingdan.core.audit.record`` and never changed through the ORM:
saving an existing entry, deleting one, or updating/deleting a queryset of them raises
``AppendOnlyError``. Raw SQL can still change rows; ``audit.verify`` finds out.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from qingdan.core.audit_text import OBJECT_LABELS, describe
from qingdan.errors import QingdanError


class Jurisdiction(models.Model):
    """地区 / 行政区划, e.g. 湘阴县 or 石家庄市鹿泉区."""

    name = models.CharField("名称", max_length=100, unique=True)
    code = models.CharField("行政区划代码", max_length=12, blank=True, help_text="GB/T 2260")

    class Meta:
        ordering = ["name"]
        verbose_name = "地区"

    def __str__(self) -> str:
        return self.name


class DepartmentQuerySet(models.QuerySet["Department"]):
    """Which departments are current: a department is abolished (已撤销) once it is the
    predecessor in some ``Succession``, and current otherwise. Nothing else is stored."""

    def abolished(self) -> DepartmentQuerySet:
        return self.filter(models.Exists(Succession.objects.filter(predecessor=models.OuterRef("pk"))))

    def current(self) -> DepartmentQuerySet:
        return self.filter(~models.Exists(Succession.objects.filter(predecessor=models.OuterRef("pk"))))


class Department(models.Model):
    """部门: the body whose 责任清单 is kept, e.g. 湘阴县科技局."""

    jurisdiction = models.ForeignKey(Jurisdiction, models.PROTECT, related_name="departments")
    name = models.CharField("名称", max_length=200)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction__name", "name"]
        constraints = [models.UniqueConstraint("jurisdiction", "name", name="department_unique_name")]
        verbose_name = "部门"

    def __str__(self) -> str:
        return self.name

    predecessors: models.ManyToManyField[Department, Succession] = models.ManyToManyField(
        "self",
        symmetrical=False,
        through="Succession",
        related_name="successors",
        verbose_name="前身部门",
        blank=True,
    )


class DepartmentAlias(models.Model):
    """Another name a department is written under in its jurisdiction: 市公安局, or the second
    name of 西安市农业农村局（市乡村振兴局）. Imports, the portal and search resolve aliases."""

    department = models.ForeignKey(Department, models.CASCADE, related_name="aliases")
    jurisdiction = models.ForeignKey(Jurisdiction, models.CASCADE, related_name="+")
    name = models.CharField("别名", max_length=200)

    class Meta:
        ordering = ["department", "name"]
        constraints = [models.UniqueConstraint("jurisdiction", "name", name="department_alias_unique")]
        verbose_name = "部门别名"

    def __str__(self) -> str:
        return self.name


class Succession(models.Model):
    """机构改革: ``predecessor`` was abolished and ``successor`` took over its responsibilities
    (a merge has several predecessors, a split several successors, a rename one of each).

    One predecessor and one successor is either a rename (the same body under a new name) or
    the predecessor merged into a body that already existed (鹿泉区工业和信息化局 into 科学技术和工业
    信息化局 when the registry does not hold the other merged bureau): only ``rename`` tells."""

    successor = models.ForeignKey(Department, models.CASCADE, related_name="+")
    predecessor = models.ForeignKey(Department, models.CASCADE, related_name="+")
    basis = models.TextField("依据", blank=True, help_text="机构改革方案等")
    effective_on = models.DateField("撤并日期", null=True, blank=True, help_text="空白时按记录日期")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    rename = models.BooleanField("更名", default=False, help_text="同一机构改了名称（而不是撤并）")

    class Meta:
        constraints = [
            models.UniqueConstraint("successor", "predecessor", name="succession_unique"),
            models.CheckConstraint(
                condition=~models.Q(successor=models.F("predecessor")), name="succession_not_self"
            ),
        ]
        verbose_name = "机构沿革"

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"

    @property
    def date(self) -> date:
        """When the predecessor ceased: ``effective_on``, or the day it was recorded."""
        return self.effective_on or timezone.localdate(self.recorded_at)


class Role(models.TextChoices):
    FILLER = "filler", "部门填报员"
    LEGAL = "legal", "法制审核员"
    APPROVER = "approver", "编办审核员"
    ADMIN = "admin", "系统管理员"


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile")
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="staff", verbose_name="部门"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, models.PROTECT, null=True, blank=True, related_name="staff", verbose_name="地区"
    )

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"

    def __str__(self) -> str:
        where = self.department or self.jurisdiction
        return f"{self.get_role_display()}（{where}）" if where else self.get_role_display()


class ApiToken(models.Model):
    """A key for the write API. Only its SHA-256 is stored; the key is shown once, when made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, blank=True)
    prefix = models.CharField("前缀", max_length=8)
    key_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}…（{self.name or self.user}）"


# --- derived work and sign-in attempts ---------------------------------------------------


class PendingWork(models.Model):
    """Derived work owed to the registry (the outbox): written in the same transaction as the
    change that makes it necessary, done after commit by one writer at a time, deleted when done.

    ``key`` is a department id for ``index`` (bring its search documents up to date), a list
    version id for ``checks`` (run 清单体检 on a newly published version) and a jurisdiction id
    for ``crossing`` (the checks across its departments' lists: overlaps, duplicates) and a law id
    for ``law`` (an amendment or repeal in the law registry: 依据变更提醒 for the departments whose
    published lists cite it, and their 清单体检 again) and a year for ``deadlines`` (the work calendar
    of that year changed: recompute the open deadlines touching it)."""

    INDEX = "index"
    CHECKS = "checks"
    CROSSING = "crossing"
    LAW = "law"
    DEADLINES = "deadlines"
    KIND_CHOICES = [
        (INDEX, "更新检索索引"),
        (CHECKS, "清单体检"),
        (CROSSING, "跨部门体检"),
        (LAW, "依据变更提醒"),
        (DEADLINES, "重算期限"),
    ]

    kind = models.CharField("类型", max_length=20, choices=KIND_CHOICES)
    key = models.BigIntegerField("对象")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "id"], name="pendingwork_kind")]
        verbose_name = "待办后台工作"
        verbose_name_plural = "待办后台工作"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.key}"


class LoginAttempt(models.Model):
    """One sign-in attempt, kept to lock an account or an address after repeated failures."""

    username = models.CharField("用户名", max_length=150, db_index=True)
    address = models.CharField("来源地址", max_length=64, db_index=True)
    succeeded = models.BooleanField("成功", default=False)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "登录尝试"
        verbose_name_plural = "登录尝试"

    def __str__(self) -> str:
        return f"{self.username}@{self.address}"


# --- the audit log ------------------------------------------------------------------------


REFUSAL = "审计日志只能追加：已有记录不能修改或删除。"


class AppendOnlyError(QingdanError):
    """Someone tried to change or delete audit entries through the ORM."""

    def __init__(self, message: str = REFUSAL) -> None:
        super().__init__(message)


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    """A queryset that reads and inserts but does not update or delete."""

    def update(self, **kwargs: Any) -> int:
        # Deleting a user sets ``actor`` to NULL through here; ``actor`` is not hashed
        # (``actor_name`` keeps who it was), so that one update is allowed.
        if kwargs.keys() == {"actor"} and kwargs["actor"] is None:
            return super().update(**kwargs)
        raise AppendOnlyError()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError()

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AppendOnlyError()

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[AuditEntry]:
        raise AppendOnlyError("审计日志只能通过 qingdan.core.audit.record 逐条追加。")


AuditManager = models.Manager.from_queryset(AuditQuerySet)


# what each audit action is called for people (the stored code stays English, and hashed)
ACTION_LABELS = {
    "import": "导入清单",
    "import_renamed": "按更名导入清单",
    "import_responsibility": "导入行政执法责任制",
    "department_alias": "登记部门别名",
    "start_draft": "新建草稿",
    "edit": "修改草稿",
    "submit": "提交审核",
    "approve": "审核通过",
    "return": "退回修改",
    "decide": "处理体检问题",
    "succession": "记录机构沿革",
    "succession_undo": "撤销机构沿革记录",
    "createuser": "新建用户",
    "createtoken": "生成 API 令牌",
    "password_change": "修改密码",
    "password_set": "重设密码",
    "unlock": "解除账号登录锁定",
    "unlock_address": "解除地址登录锁定",
    "admin_add": "管理后台新增",
    "admin_change": "管理后台修改",
    "admin_delete": "管理后台删除",
    "law_create": "登记法律法规",
    "law_edit": "修改法律法规",
    "law_amend": "登记法律法规的修改",
    "law_repeal": "登记法律法规的废止",
    "law_article": "登记法律法规的条文",
    "law_link": "关联所引名称与法律法规",
    "law_import": "导入法律法规",
    "law_reminder_draft": "依据变更提醒：开始修订",
    "law_reminder_close": "关闭依据变更提醒",
    "officer_save": "保存执法人员",
    "officer_remove": "删除执法人员",
    "post_save": "保存岗位",
    "post_remove": "删除岗位",
    "leader_save": "保存局领导",
    "leader_remove": "删除局领导",
    "staff_import": "导入执法人员名册",
    # 工作日历与期限规则 (qingdan/deadlines)
    "calendar_notice": "录入节假日安排通知",
    "calendar_day_set": "设定日历中的一天",
    "calendar_day_remove": "删除日历中单独设定的一天",
    "deadline_rule_save": "修改期限规则",
    # 执法文书与模板 (qingdan/cases/documents.py)
    "case_document": "制作执法文书",
    "template_upload": "上传文书模板",
    "template_remove": "删除文书模板",
    # 行政处罚裁量基准 (#12)
    "discretion_import": "导入行政处罚裁量基准",
    "discretion_remove": "删除行政处罚裁量基准",
}


class AuditEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人名称", max_length=150, blank=True)
    action = models.CharField("操作", max_length=50, db_index=True)
    object_type = models.CharField("对象类型", max_length=50)
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    prev_hash = models.CharField("前一条摘要", max_length=64)
    hash = models.CharField("摘要", max_length=64, unique=True)

    objects = AuditManager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计日志"
        ordering = ["id"]
        # the deletion collector uses the base manager: make it the guarded one too
        base_manager_name = "objects"
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.actor_name or '系统'} {self.action_label} {self.object_repr}".strip()

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def object_type_label(self) -> str:
        return OBJECT_LABELS.get(self.object_type, self.object_type)

    @property
    def before_text(self) -> str:
        return describe(self.before)

    @property
    def after_text(self) -> str:
        return describe(self.after)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("update_fields") is not None or kwargs.get("force_update"):
            raise AppendOnlyError()
        # never an UPDATE, even for a new instance given the pk of an existing row
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError()
