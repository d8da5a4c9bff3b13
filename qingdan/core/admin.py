"""The Django admin (/admin/), for 系统管理员: users and their roles, API tokens, and the audit log
(read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from qingdan.core.audit import log
from qingdan.core.models import ApiToken, AuditEntry, Profile
from qingdan.core.permissions import actor_of
from qingdan.core.signin import AdminSignInForm


class AuditedAdmin(admin.ModelAdmin):
    """Changes made in the admin go into the audit log too (the admin saves inside a transaction)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        fields = sorted(form.changed_data) if form is not None else []
        self._audit(request, "admin_change" if change else "admin_add", obj, {"fields": fields})

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self._audit(request, "admin_add", obj, {"of": str(form.instance)})
        for obj, fields in formset.changed_objects:
            self._audit(request, "admin_change", obj, {"of": str(form.instance), "fields": sorted(fields)})

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit(request, "admin_delete", obj, None)
        super().delete_model(request, obj)

    def _audit(self, request: HttpRequest, action: str, obj: Any, after: Any) -> None:
        log(actor_of(request.user), action, obj, after=after)


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    verbose_name_plural = "角色"


class QingdanUserAdmin(AuditedAdmin, UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "first_name", "role", "is_active")

    @admin.display(description="角色")
    def role(self, user: object) -> str:
        profile = getattr(user, "profile", None)
        return str(profile) if profile else ""


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ("prefix", "name", "user", "created_at", "last_used_at")
    readonly_fields = ("prefix", "key_sha256", "created_at", "last_used_at")


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), QingdanUserAdmin)
admin.site.site_header = "qingdan 清单 管理"
admin.site.login_form = AdminSignInForm


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_name", "action_label", "object_repr")
    list_filter = ("action",)
    search_fields = ("object_repr",)
    date_hierarchy = "at"
    ordering = ("-id",)
    actions = None
    readonly_fields = tuple(f.name for f in AuditEntry._meta.fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
