"""URL routes: the public portal and the 工作台 (/work/), the JSON API under /api/v1/, the admin
under /admin/, system routes under /-/."""

from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from qingdan.api.views import api


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("-/health", health),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # 行政处罚案件 (#12): the case pages of the 工作台
    path("work/cases/", include("qingdan.cases.urls")),
    path("", include("qingdan.cases.urls_documents")),  # 执法文书与模板
    path("", include("qingdan.cases.views_discretion")),  # 裁量基准与案件统计 (#12)
    # 双随机抽查 (#13): the 工作台's pages and the public ones
    path("work/inspection/", include("qingdan.inspection.urls")),
    path("", include("qingdan.inspection.urls_public")),
    path("", include("qingdan.portal.urls")),
]
