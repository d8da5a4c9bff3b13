"""The lists: one ListVersion is one department's 责任清单 at one moment, with everything in it.

Every item belongs to exactly one version, so a published version never changes: a new list
is a new version. Units live in the version too, because their phones change between versions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from qingdan.core.models import Department


class VersionQuerySet(models.QuerySet["ListVersion"]):
    def published(self) -> VersionQuerySet:
        return self.filter(status=ListVersion.PUBLISHED)

    def unpublished(self) -> VersionQuerySet:
        """The department's draft or the version under review (at most one per department)."""
        return self.exclude(status=ListVersion.PUBLISHED)


class ListVersion(models.Model):
    """责任清单 (one department, one moment).

    A version is written while it is a draft (每次保存 ``revision`` 加一, the optimistic lock),
    then goes through 法制审核 and 编办审核, and once published never changes again."""

    DRAFT = "draft"
    LEGAL_REVIEW = "legal_review"
    APPROVAL_REVIEW = "approval_review"
    PUBLISHED = "published"
    STATUS_CHOICES = [
        (DRAFT, "草稿"),
        (LEGAL_REVIEW, "待法制审核"),
        (APPROVAL_REVIEW, "待编办审核"),
        (PUBLISHED, "已发布"),
    ]
    REASONS = [
        ("law", "法律立改废"),
        ("catalog", "上级目录调整"),
        ("reorganisation", "机构改革"),
        ("correction", "纠错"),
        ("other", "其他"),
    ]

    department = models.ForeignKey(Department, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField("状态", max_length=16, choices=STATUS_CHOICES, default=PUBLISHED)
    revision = models.PositiveIntegerField("修订号", default=0)
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    source_sha256 = models.CharField("来源文件 SHA-256", max_length=64, blank=True)
    stated_department = models.CharField(
        "来源文件写明的部门", max_length=200, blank=True, help_text="文件标题或「部门名称」一栏所写"
    )
    content_sha256 = models.CharField("内容摘要", max_length=64, db_index=True)
    change_reason = models.CharField("调整原因", max_length=16, choices=REASONS, blank=True)
    change_basis = models.TextField("调整依据", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    created_by_name = models.CharField("创建人", max_length=150, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by_name = models.CharField("修改人", max_length=150, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["department", "number"]
        constraints = [models.UniqueConstraint("department", "number", name="version_unique_number")]
        verbose_name = "清单版本"

    def __str__(self) -> str:
        return f"{self.department.name} 第 {self.number} 版"

    @property
    def is_editable(self) -> bool:
        return self.status == self.DRAFT


class ReviewStep(models.Model):
    """One step of a version's way to publication: who did what, when, and what they said."""

    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    ACTIONS = [(SUBMIT, "提交审核"), (APPROVE, "审核通过"), (RETURN, "退回修改")]
    STAGES = [("department", "部门"), ("legal", "法制审核"), ("approval", "编办审核")]

    version = models.ForeignKey(ListVersion, models.CASCADE, related_name="review_steps")
    stage = models.CharField("环节", max_length=16, choices=STAGES)
    action = models.CharField("操作", max_length=16, choices=ACTIONS)
    comment = models.TextField("意见", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    actor_name = models.CharField("经办人", max_length=150)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["version", "at", "pk"]
        verbose_name = "审核记录"


class Unit(models.Model):
    """内设机构 / 科室 / 股室 / 事业单位, with its phones as written in the list."""

    KINDS = [("内设机构", "内设机构"), ("事业单位", "事业单位")]

    version = models.ForeignKey(ListVersion, models.CASCADE, related_name="units")
    position = models.PositiveIntegerField()
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类别", max_length=16, choices=KINDS, default="内设机构")
    phones = models.JSONField("联系电话", default=list)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint("version", "name", name="unit_unique_name")]


class Duty(models.Model):
    """主要职责."""

    version = models.ForeignKey(ListVersion, models.CASCADE, related_name="duties")
    position = models.PositiveIntegerField()
    no = models.CharField("序号", max_length=20, blank=True)
    text = models.TextField("主要职责")

    class Meta:
        ordering = ["version", "position"]


class Task(models.Model):
    """具体工作事项."""

    duty = models.ForeignKey(Duty, models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField()
    text = models.TextField("具体工作事项")
    note = models.TextField("备注", blank=True)
    units: models.ManyToManyField[Unit, TaskUnit] = models.ManyToManyField(
        Unit, through="TaskUnit", related_name="tasks"
    )

    class Meta:
        ordering = ["duty", "position"]


class TaskUnit(models.Model):
    task = models.ForeignKey(Task, models.CASCADE)
    unit = models.ForeignKey(Unit, models.CASCADE)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["task", "position"]


class BoundaryMatter(models.Model):
    """职责边界 管理事项."""

    version = models.ForeignKey(ListVersion, models.CASCADE, related_name="boundaries")
    position = models.PositiveIntegerField()
    matter = models.TextField("管理事项")

    class Meta:
        ordering = ["version", "position"]


class BoundaryShare(models.Model):
    """One department's part of a boundary matter: 职责分工, 相关依据, 案例."""

    matter = models.ForeignKey(BoundaryMatter, models.CASCADE, related_name="shares")
    position = models.PositiveIntegerField()
    department = models.CharField("相关部门", max_length=300)
    division = models.TextField("职责分工", blank=True)
    basis = models.TextField("相关依据", blank=True)
    case = models.TextField("案例", blank=True)

    class Meta:
        ordering = ["matter", "position"]


class PublicService(models.Model):
    """公共服务事项."""

    version = models.ForeignKey(ListVersion, models.CASCADE, related_name="services")
    position = models.PositiveIntegerField()
    name = models.TextField("服务事项")
    content = models.TextField("主要内容", blank=True)
    units: models.ManyToManyField[Unit, ServiceUnit] = models.ManyToManyField(
        Unit, through="ServiceUnit", related_name="services"
    )
    phones = models.JSONField("联系电话", default=list)

    class Meta:
        ordering = ["version", "position"]


class ServiceUnit(models.Model):
    service = models.ForeignKey(PublicService, models.CASCADE)
    unit = models.ForeignKey(Unit, models.CASCADE)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["service", "position"]


class SupervisionRegime(models.Model):
    """事中事后监管制度: 对象, 内容, 方式, 措施, 程序, 处理."""

    version = models.ForeignKey(ListVersion, models.CASCADE, related_name="supervision")
    position = models.PositiveIntegerField()
    matter = models.TextField("事项")
    targets = models.TextField("监督检查对象", blank=True)  # "objects" would shadow the manager
    content = models.TextField("监督检查内容", blank=True)
    methods = models.TextField("监督检查方式", blank=True)
    measures = models.TextField("监督检查措施", blank=True)
    procedure = models.TextField("监督检查程序", blank=True)
    handling = models.TextField("监督检查处理", blank=True)

    class Meta:
        ordering = ["version", "position"]


class PowerItem(models.Model):
    """权力事项 / 权责事项 with the standard elements."""

    version = models.ForeignKey(ListVersion, models.CASCADE, related_name="powers")
    position = models.PositiveIntegerField()
    code = models.CharField("事项编码", max_length=100, blank=True)
    name = models.TextField("事项名称")
    type = models.CharField("事项类型", max_length=30, blank=True)
    subitems = models.TextField("子项", blank=True)
    basis = models.TextField("设定依据", blank=True)
    subject = models.CharField("实施主体", max_length=300, blank=True)
    units = models.JSONField("承办机构", default=list)
    duties = models.TextField("责任事项", blank=True)
    accountability = models.TextField("追责情形", blank=True)
    phones = models.JSONField("监督电话", default=list)
    entrusted_to = models.CharField("受委托单位", max_length=300, blank=True)
    source_id = models.CharField("平台事项标识", max_length=100, blank=True)
    extra = models.JSONField("其他字段", default=dict, blank=True, help_text="未识别的列，按原列名保存")

    class Meta:
        ordering = ["version", "position"]


class LegalCitation(models.Model):
    """设定依据 / 相关依据: one 《title》 (and article, when given) cited by one item; ``law`` is the
    registry entry it resolves to (``qingdan.laws``), empty until someone links it."""

    version = models.ForeignKey(ListVersion, models.CASCADE, related_name="citations")
    title = models.CharField("所引名称", max_length=300, db_index=True)
    law = models.ForeignKey(
        "laws.Law", models.SET_NULL, null=True, blank=True, related_name="citations", verbose_name="法律"
    )
    article = models.CharField("条款", max_length=100, blank=True)
    article_number = models.PositiveIntegerField("条", null=True, blank=True)
    share = models.ForeignKey(BoundaryShare, models.CASCADE, null=True, blank=True, related_name="citations")
    power = models.ForeignKey(PowerItem, models.CASCADE, null=True, blank=True, related_name="citations")

    class Meta:
        ordering = ["version", "id"]
