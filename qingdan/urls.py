"""URL routes: the public portal, the JSON API under /api/v1/, system routes under /-/."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from qingdan.api.views import api


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("-/health", health),
    path("api/v1/", api.urls),
    path("", include("qingdan.portal.urls")),
]
