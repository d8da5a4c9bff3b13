"""URL routes. The portal and API arrive with their issues; system routes live under /-/."""

from django.http import HttpRequest, JsonResponse
from django.urls import path


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [path("-/health", health)]
