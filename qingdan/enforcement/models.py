"""行政执法责任制: a department's ResponsibilitySystem (执法依据, 职责 with 牵头科室, 法律责任,
考核方案) and the people who carry it — leaders (局领导, 分管), posts (岗位) inside units, and
enforcement officers (执法人员) with their certificates."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from qingdan.core.models import Department
from qingdan.laws.models import Law

# --- the 执法责任制 document ----------------------------------------------------------------


class ResponsibilitySystem(models.Model):
    """One department's 行政执法责任制 as imported from its 实施办法; a re-import replaces it."""

    department = models.OneToOneField(Department, models.CASCADE, related_name="responsibility")
    title = models.CharField("名称", max_length=300)
    document_number = models.CharField(
        "文号", max_length=100, blank=True, help_text="如 本科办发〔2020〕23号"
    )
    issuer = models.CharField("发文机关", max_length=200, blank=True)
    purpose = models.TextField("目的和任务", blank=True)
    supervision = models.TextField("监督", blank=True, help_text="依法行政的监督（考核以外的条款）")
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    content_sha256 = models.CharField("内容摘要", max_length=64, blank=True)
    imported_at = models.DateTimeField("导入时间", auto_now=True)
    imported_by_name = models.CharField("导入人", max_length=150, blank=True)

    class Meta:
        verbose_name = "行政执法责任制"
        verbose_name_plural = "行政执法责任制"

    def __str__(self) -> str:
        return f"{self.department}：{self.title}"


class ResponsibilityBasis(models.Model):
    """执法依据: one law (or one article of it) the department enforces, under the level the
    document files it (全国人大及其常委会通过的法律 / 地方性法规 …)."""

    system = models.ForeignKey(ResponsibilitySystem, models.CASCADE, related_name="bases")
    position = models.PositiveIntegerField()
    level = models.CharField("效力级别", max_length=20, choices=Law.LEVELS, blank=True)
    heading = models.CharField("原文分类", max_length=200, blank=True, help_text="文件中的分类标题")
    text = models.TextField("原文")
    title = models.CharField("法律名称", max_length=300)
    law = models.ForeignKey(
        Law, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="法律"
    )
    article = models.CharField("条款", max_length=100, blank=True)
    article_number = models.PositiveIntegerField("条", null=True, blank=True)
    article_text = models.TextField("条文", blank=True)

    class Meta:
        ordering = ["system", "position"]
        verbose_name = "执法依据"
        verbose_name_plural = "执法依据"

    def __str__(self) -> str:
        return f"《{self.title}》{self.article}"


class ResponsibilityDuty(models.Model):
    """职责 of the 执法责任制: numbered, with its 牵头科室 and the 重点考核 items named in it."""

    system = models.ForeignKey(ResponsibilitySystem, models.CASCADE, related_name="duties")
    position = models.PositiveIntegerField()
    number = models.CharField("序号", max_length=10, blank=True)
    text = models.TextField("职责")
    lead_units = models.JSONField("牵头科室", default=list)
    key_assessments = models.JSONField("重点考核", default=list)

    class Meta:
        ordering = ["system", "position"]
        verbose_name = "职责"
        verbose_name_plural = "职责"

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"


class LiabilityClause(models.Model):
    """法律责任及处罚: one clause."""

    system = models.ForeignKey(ResponsibilitySystem, models.CASCADE, related_name="liabilities")
    position = models.PositiveIntegerField()
    number = models.CharField("序号", max_length=10, blank=True)
    text = models.TextField("条款")

    class Meta:
        ordering = ["system", "position"]
        verbose_name = "法律责任"
        verbose_name_plural = "法律责任"


class AssessmentScheme(models.Model):
    """考核方案: the aspects assessed, how, by whom, the grades and what the result is used for."""

    system = models.OneToOneField(ResponsibilitySystem, models.CASCADE, related_name="assessment")
    aspects = models.JSONField("考核内容", default=list)
    method = models.TextField("考核办法", blank=True)
    body = models.CharField("评鉴机构", max_length=200, blank=True)
    grades = models.JSONField("等次", default=list)
    use = models.TextField("结果运用", blank=True)

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"


# --- people and posts ---------------------------------------------------------------------


class Leader(models.Model):
    """局领导: with the units (科室, by name) they are in charge of (分管)."""

    department = models.ForeignKey(Department, models.CASCADE, related_name="leaders")
    position = models.PositiveIntegerField("排序", default=0)
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职务", max_length=100, blank=True, help_text="如 局长、副局长")
    units = models.JSONField("分管科室", default=list)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by_name = models.CharField("修改人", max_length=150, blank=True)

    class Meta:
        ordering = ["department", "position", "id"]
        verbose_name = "局领导"
        verbose_name_plural = "局领导"

    def __str__(self) -> str:
        return f"{self.title}{self.name}"


class Post(models.Model):
    """岗位: inside a unit (科室, by name, as the department's lists name it)."""

    department = models.ForeignKey(Department, models.CASCADE, related_name="posts")
    unit = models.CharField("科室", max_length=200)
    name = models.CharField("岗位", max_length=100)
    description = models.TextField("岗位职责", blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by_name = models.CharField("修改人", max_length=150, blank=True)

    class Meta:
        ordering = ["department", "unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "unit", "name"], name="post_once_per_unit")
        ]
        verbose_name = "岗位"
        verbose_name_plural = "岗位"

    def __str__(self) -> str:
        return f"{self.unit}·{self.name}"


class PostItem(models.Model):
    """What a post carries: a 主要职责, 具体工作事项 or 权力事项 of the department's list, or a
    职责 of its 执法责任制 — by its text (or 事项编码), so it survives new list versions."""

    DUTY = "duty"
    TASK = "task"
    POWER = "power"
    RESPONSIBILITY = "responsibility"
    KINDS = [
        (DUTY, "主要职责"),
        (TASK, "具体工作事项"),
        (POWER, "权力事项"),
        (RESPONSIBILITY, "执法责任制职责"),
    ]

    post = models.ForeignKey(Post, models.CASCADE, related_name="items")
    kind = models.CharField("类别", max_length=16, choices=KINDS)
    ref = models.CharField("事项", max_length=500, help_text="事项名称或编码")

    class Meta:
        ordering = ["post", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "kind", "ref"], name="post_item_once")]
        verbose_name = "岗位事项"
        verbose_name_plural = "岗位事项"


class Officer(models.Model):
    """执法人员: a person who may act in enforcement, with the certificate (执法证) that allows it."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    LEFT = "left"
    STATES = [(ACTIVE, "在岗"), (SUSPENDED, "暂停执法"), (LEFT, "已调离")]

    department = models.ForeignKey(Department, models.CASCADE, related_name="officers")
    name = models.CharField("姓名", max_length=50)
    unit = models.CharField("科室", max_length=200, blank=True)
    post = models.ForeignKey(
        Post, models.SET_NULL, null=True, blank=True, related_name="officers", verbose_name="岗位"
    )
    certificate_number = models.CharField("执法证号", max_length=50, blank=True)
    category = models.CharField("执法类别", max_length=100, blank=True)
    area = models.CharField("执法区域", max_length=100, blank=True)
    valid_from = models.DateField("证件有效期自", null=True, blank=True)
    valid_until = models.DateField("证件有效期至", null=True, blank=True)
    legal_qualification = models.BooleanField("法律职业资格", default=False, help_text="法制审核人员需要")
    status = models.CharField("状态", max_length=10, choices=STATES, default=ACTIVE)
    public = models.BooleanField("公开姓名", default=False, help_text="在公开的责任矩阵中显示姓名")
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by_name = models.CharField("修改人", max_length=150, blank=True)

    class Meta:
        ordering = ["department", "unit", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~models.Q(certificate_number=""),
                name="officer_certificate_once",
            )
        ]
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"

    def __str__(self) -> str:
        return self.name

    def certified_on(self, day: dt.date) -> bool:
        """Holds a certificate valid on ``day`` and is on duty: may act in a case."""
        if self.status != self.ACTIVE or not self.certificate_number:
            return False
        if self.valid_from and day < self.valid_from:
            return False
        return self.valid_until is None or day <= self.valid_until

    @property
    def certified(self) -> bool:
        return self.certified_on(timezone.localdate())
