"""Jurisdictions and the departments that belong to them."""

from __future__ import annotations

from django.db import models


class Jurisdiction(models.Model):
    """地区 / 行政区划, e.g. 湘阴县 or 石家庄市鹿泉区."""

    name = models.CharField("名称", max_length=100, unique=True)
    code = models.CharField("行政区划代码", max_length=12, blank=True, help_text="GB/T 2260")

    class Meta:
        ordering = ["name"]
        verbose_name = "地区"

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """部门: the body whose 责任清单 is kept, e.g. 湘阴县科技局."""

    jurisdiction = models.ForeignKey(Jurisdiction, models.PROTECT, related_name="departments")
    name = models.CharField("名称", max_length=200)

    class Meta:
        ordering = ["jurisdiction__name", "name"]
        constraints = [models.UniqueConstraint("jurisdiction", "name", name="department_unique_name")]
        verbose_name = "部门"

    def __str__(self) -> str:
        return self.name

    def latest_version(self):  # type: ignore[no-untyped-def]
        return self.versions.order_by("-number").first()
