"""The Django admin (/admin/), for 系统管理员: users and their roles, API tokens, and the audit log
(read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from qingdan.core.audit import log
from qingdan.core.models import ACTION_LABELS, ApiToken, AuditEntry, PendingWork, Profile
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
admin.site.site_title = "qingdan 清单 管理"
admin.site.index_title = "用户、令牌与审计日志"
admin.site.login_form = AdminSignInForm


class ActionFilter(admin.SimpleListFilter):
    """Filter by action, listed by its Chinese name rather than its stored code."""

    title = "操作"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(ACTION_LABELS.items())

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(action=self.value()) if self.value() else queryset


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed in the admin: the records are written by the service layer only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only; codes and JSON shown with their Chinese labels (the raw values stay below)."""

    list_display = ("at", "actor_name", "action_label", "object_repr", "after_text")
    list_filter = (ActionFilter,)
    search_fields = ("object_repr",)
    date_hierarchy = "at"
    ordering = ("-id",)
    actions = None
    readonly_fields = (
        "at",
        "actor_name",
        "action_label",
        "object_type_label",
        "object_repr",
        "before_text",
        "after_text",
        "object_id",
        "before",
        "after",
        "prev_hash",
        "hash",
    )

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.readonly_fields

    @admin.display(description="操作")
    def action_label(self, entry: AuditEntry) -> str:
        return entry.action_label

    @admin.display(description="对象类型")
    def object_type_label(self, entry: AuditEntry) -> str:
        return entry.object_type_label

    @admin.display(description="修改前")
    def before_text(self, entry: AuditEntry) -> str:
        return entry.before_text

    @admin.display(description="修改后")
    def after_text(self, entry: AuditEntry) -> str:
        return entry.after_text


@admin.register(PendingWork)
class PendingWorkAdmin(ReadOnlyAdmin):
    """What derived work is still owed, and why a retry failed; read only (the worker settles it)."""

    list_display = ("kind", "key", "created_at", "attempts", "last_error")
    list_filter = ("kind",)
