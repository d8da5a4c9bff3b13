"""The law registry (执法依据): laws and regulations with their short names, level, dates and
successor, addressable articles, and the 依据变更提醒 a change to one of them raises."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from qingdan.catalog.models import ListVersion
from qingdan.core.models import Department


class Law(models.Model):
    """法律 / 法规 / 规章 / 规范性文件: one entry of the registry, by its full title."""

    LAW = "law"
    ADMIN_REGULATION = "admin_regulation"
    LOCAL_REGULATION = "local_regulation"
    DEPARTMENT_RULE = "department_rule"
    LOCAL_RULE = "local_rule"
    NORMATIVE = "normative"
    LEVELS = [
        (LAW, "法律"),
        (ADMIN_REGULATION, "行政法规"),
        (LOCAL_REGULATION, "地方性法规"),
        (DEPARTMENT_RULE, "部门规章"),
        (LOCAL_RULE, "地方政府规章"),
        (NORMATIVE, "规范性文件"),
    ]

    title = models.CharField("名称", max_length=300, unique=True, help_text="全称，如 中华人民共和国合同法")
    level = models.CharField("效力级别", max_length=20, choices=LEVELS, blank=True)
    issuer = models.CharField("制定机关", max_length=200, blank=True)
    document_number = models.CharField("发布文号", max_length=100, blank=True, help_text="如 主席令第57号")
    promulgated_on = models.DateField("公布日期", null=True, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    repealed_on = models.DateField("废止日期", null=True, blank=True, help_text="失效之日；空 = 现行有效")
    successor = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name="取代它的法律",
    )
    source = models.TextField(
        "资料来源", blank=True, help_text="这些事实出自何处（如 国家法律法规数据库、某法第几条）"
    )
    note = models.TextField("备注", blank=True)
    shipped = models.BooleanField("随软件提供", default=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by_name = models.CharField("修改人", max_length=150, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = "法律法规"
        verbose_name_plural = "法律法规"

    def __str__(self) -> str:
        return f"《{self.title}》"

    def in_force_on(self, day: dt.date) -> bool:
        starts = self.effective_on or self.promulgated_on
        if starts and day < starts:
            return False
        return self.repealed_on is None or day < self.repealed_on

    @property
    def in_force(self) -> bool:
        return self.in_force_on(timezone.localdate())


class LawName(models.Model):
    """A name a citation may use for the law: its full title and each short name
    (《合同法》 = 中华人民共和国合同法). ``key`` is the name as matched (see ``names.law_key``)."""

    law = models.ForeignKey(Law, models.CASCADE, related_name="names")
    name = models.CharField("名称", max_length=300)
    key = models.CharField("匹配键", max_length=300, unique=True)

    class Meta:
        ordering = ["law", "name"]
        verbose_name = "法律简称"
        verbose_name_plural = "法律简称"

    def __str__(self) -> str:
        return self.name


class LawAmendment(models.Model):
    """修正 / 修订: the law was changed on ``adopted_on`` (in force from ``effective_on``)."""

    law = models.ForeignKey(Law, models.CASCADE, related_name="amendments")
    adopted_on = models.DateField("通过日期")
    effective_on = models.DateField("施行日期", null=True, blank=True)
    name = models.CharField("名称", max_length=200, blank=True, help_text="如 刑法修正案（十一）")
    source = models.TextField("资料来源", blank=True)

    class Meta:
        ordering = ["law", "adopted_on"]
        constraints = [models.UniqueConstraint(fields=["law", "adopted_on"], name="law_amendment_once_a_day")]
        verbose_name = "修改记录"
        verbose_name_plural = "修改记录"

    def __str__(self) -> str:
        return f"{self.law} {self.adopted_on} {self.name or '修改'}"


class LawArticle(models.Model):
    """第N条 of a law, addressable by its number (第四十一条 ↔ 41), with its text when known."""

    law = models.ForeignKey(Law, models.CASCADE, related_name="articles")
    number = models.PositiveIntegerField("条")
    text = models.TextField("条文", blank=True)

    class Meta:
        ordering = ["law", "number"]
        constraints = [models.UniqueConstraint(fields=["law", "number"], name="law_article_once")]
        verbose_name = "条文"
        verbose_name_plural = "条文"

    def __str__(self) -> str:
        from qingdan.laws.names import article_label

        return f"{self.law}{article_label(self.number)}"


class LawChangeReminder(models.Model):
    """依据变更提醒: a department's published list cites a law that was amended or repealed
    after that version was published. Open until someone starts a draft from it or closes it."""

    AMENDED = "amended"
    REPEALED = "repealed"
    CHANGES = [(AMENDED, "修改"), (REPEALED, "废止")]
    OPEN = "open"
    DRAFTED = "drafted"
    CLOSED = "closed"
    STATES = [(OPEN, "待处理"), (DRAFTED, "已开始修订"), (CLOSED, "已关闭")]

    law = models.ForeignKey(Law, models.CASCADE, related_name="reminders")
    department = models.ForeignKey(Department, models.CASCADE, related_name="law_reminders")
    version = models.ForeignKey(ListVersion, models.CASCADE, related_name="law_reminders")
    change = models.CharField("变更", max_length=10, choices=CHANGES)
    changed_on = models.DateField("变更日期")
    items = models.JSONField("涉及事项", default=list, help_text="[{kind, label, article}]，引用该法的事项")
    status = models.CharField("状态", max_length=10, choices=STATES, default=OPEN)
    draft = models.ForeignKey(
        ListVersion, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="修订草稿"
    )
    created_at = models.DateTimeField("提醒时间", auto_now_add=True)
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    handled_by_name = models.CharField("处理人", max_length=150, blank=True)

    class Meta:
        ordering = ["-changed_on", "department", "law"]
        constraints = [
            models.UniqueConstraint(
                fields=["law", "department", "change", "changed_on"], name="law_reminder_once_per_change"
            )
        ]
        verbose_name = "依据变更提醒"
        verbose_name_plural = "依据变更提醒"

    def __str__(self) -> str:
        return f"{self.department}：{self.law}{self.changed_on}{self.get_change_display()}"
