"""The official work calendar (holidays and 调休 make-up working days, from the State Council's
notices or set by an administrator) and the statutory periods (期限规则) as data with their basis."""

from __future__ import annotations

from django.db import models


class HolidayNotice(models.Model):
    """国务院办公厅关于某年部分节假日安排的通知, as pasted by an administrator."""

    year = models.PositiveSmallIntegerField("年份", db_index=True)
    title = models.CharField("标题", max_length=200)
    document_number = models.CharField(
        "文号", max_length=100, blank=True, help_text="如 国办发明电〔2025〕7号"
    )
    published_on = models.DateField("发布日期", null=True, blank=True)
    text = models.TextField("通知全文")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    created_by_name = models.CharField("录入人", max_length=150, blank=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = "节假日安排通知"
        verbose_name_plural = "节假日安排通知"

    def __str__(self) -> str:
        return f"{self.year} 年节假日安排通知"


class CalendarDay(models.Model):
    """One day whose status differs from the plain week: a holiday (休息日) or a 调休 working day.
    A row here wins over the maintained package's data for that date."""

    HOLIDAY = "holiday"
    WORKDAY = "workday"
    KINDS = [(HOLIDAY, "休息日"), (WORKDAY, "调休上班")]
    NOTICE = "notice"
    ADMIN = "admin"
    SOURCES = [(NOTICE, "国务院通知"), (ADMIN, "管理员")]

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类别", max_length=10, choices=KINDS)
    name = models.CharField("名称", max_length=50, blank=True, help_text="如 国庆节")
    source = models.CharField("来源", max_length=10, choices=SOURCES, default=ADMIN)
    notice = models.ForeignKey(
        HolidayNotice, models.SET_NULL, null=True, blank=True, related_name="days", verbose_name="通知"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by_name = models.CharField("修改人", max_length=150, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "日历调整"
        verbose_name_plural = "日历调整"

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}{'（' + self.name + '）' if self.name else ''}"


class DeadlineRule(models.Model):
    """A statutory or rule-set period: how many days of which kind, and the article it comes from."""

    WORKING = "working"
    CALENDAR = "calendar"
    MONTH = "month"
    HALF_YEAR = "half_year"
    UNITS = [
        (WORKING, "工作日"),
        (CALENDAR, "自然日"),
        (MONTH, "月"),
        (HALF_YEAR, "半年报（半年结束后第 N 个月月底）"),
    ]

    code = models.SlugField("代码", max_length=60, unique=True)
    label = models.CharField("名称", max_length=100)
    days = models.PositiveIntegerField("期限数")
    unit = models.CharField("单位", max_length=10, choices=UNITS)
    basis = models.CharField("依据", max_length=300, help_text="如 《中华人民共和国行政处罚法》第六十四条")
    note = models.TextField("说明", blank=True)
    shipped = models.BooleanField("随软件提供", default=False)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by_name = models.CharField("修改人", max_length=150, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "期限规则"
        verbose_name_plural = "期限规则"

    def __str__(self) -> str:
        return f"{self.label}（{self.days} {self.get_unit_display()}）"
