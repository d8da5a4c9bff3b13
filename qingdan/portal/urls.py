from django.contrib.auth import views as auth_views
from django.urls import path, register_converter

from qingdan.core.signin import SignInForm
from qingdan.deadlines import views as deadlines
from qingdan.enforcement import views as enforcement
from qingdan.portal import checks, laws, locks, penalties, powers, responsibility, succession, views, work


class KindConverter:
    regex = "task|duty|boundary|service|regime|power"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class FormatConverter(KindConverter):
    regex = "json|csv|xlsx|docx"


class RegistryFormatConverter(KindConverter):
    regex = "json|csv|xlsx"


register_converter(KindConverter, "kind")
register_converter(RegistryFormatConverter, "regfmt")
register_converter(FormatConverter, "fmt")

urlpatterns = [
    path("", views.home, name="home"),
    path("search", views.search, name="search"),
    path("d/<int:department_id>/", views.department, name="department"),
    path("d/<int:department_id>/v<int:number>/", views.department, name="version"),
    path("d/<int:department_id>/v<int:number>/<kind:kind>/<int:pk>/", views.item, name="item"),
    path("d/<int:department_id>/download.<fmt:fmt>", views.download, name="download"),
    path("d/<int:department_id>/v<int:number>/download.<fmt:fmt>", views.download, name="version-download"),
    path("d/<int:department_id>/check/", checks.department_report, name="check-department"),
    path("d/<int:department_id>/check.xlsx", checks.department_xlsx, name="check-department-xlsx"),
    path("j/<int:jurisdiction_id>/check/", checks.jurisdiction_report, name="check-jurisdiction"),
    path("j/<int:jurisdiction_id>/check.xlsx", checks.jurisdiction_xlsx, name="check-jurisdiction-xlsx"),
    path("j/<int:jurisdiction_id>/powers/", powers.power_list, name="powers"),
    path("law/<int:law_id>/", powers.law, name="law"),
    path("check/decide", checks.decide_finding, name="check-decide"),
    path("compare", checks.comparison, name="compare"),
    path("-/download/registry.<regfmt:fmt>", views.download_registry, name="download-registry"),
    path("d/<int:department_id>/changes/", views.changes, name="changes"),
    path("d/<int:department_id>/matrix/", enforcement.public_matrix, name="public-matrix"),
    path("d/<int:department_id>/diff/", views.diff, name="diff"),
    path("d/<int:department_id>/responsibility/", responsibility.responsibility, name="responsibility"),
    path("d/<int:department_id>/penalties/", penalties.penalties, name="penalties"),
    # 工作台: signed-in staff
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="portal/login.html", authentication_form=SignInForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("work/", work.desk, name="work-desk"),
    path("work/d/<int:department_id>/", work.draft, name="work-draft"),
    path("work/d/<int:department_id>/item", work.draft_item, name="work-item"),
    path("work/d/<int:department_id>/import", work.draft_import, name="work-import"),
    path("work/d/<int:department_id>/act", work.act, name="work-act"),
    path("work/audit/", work.audit_log, name="work-audit"),
    path(
        "work/d/<int:department_id>/responsibility/",
        responsibility.responsibility_import,
        name="work-responsibility-import",
    ),
    path("work/import/", work.power_export, name="work-power-export"),
    path("work/succession/", succession.successions, name="work-succession"),
    path("work/locks/", locks.locks, name="work-locks"),
    path("work/laws/", laws.laws, name="work-laws"),
    path("work/laws/<int:law_id>/", laws.law, name="work-law"),
    path("work/laws/unresolved/", laws.unresolved, name="work-laws-unresolved"),
    path("work/reminders/<int:reminder_id>/", laws.reminder, name="work-reminder"),
    path("work/password/", work.PasswordChange.as_view(), name="work-password"),
    path("work/calendar/", deadlines.calendar, name="work-calendar"),
    path("work/staff/<int:department_id>/", enforcement.staff_page, name="work-staff"),
    path("work/staff/<int:department_id>/matrix/", enforcement.staff_matrix, name="work-staff-matrix"),
]
