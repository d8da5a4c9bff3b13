"""Every error of the API in one shape, in Chinese:
``{"error": {"status": 422, "message": "…", "fields": [{"path": "query.offset", "message": "…"}]}}``
(``fields`` only when particular parameters are wrong).

The API's exception handlers cover what happens inside an endpoint; ``ApiErrorMiddleware`` covers
what Django answers before or around one (an unknown address, a wrong method, a crash outside
the API), so no HTML page and no traceback ever reaches an API client. Crashes are logged with
their traceback (``LOGGING`` in settings: the data directory's logs/qingdan.log and stderr).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from qingdan.catalog.editing import EditConflict, InvalidValue
from qingdan.core.permissions import PermissionDenied
from qingdan.errors import NotFound, QingdanError

logger = logging.getLogger("qingdan.api")

API_PREFIX = "/api/"

# pydantic's error types, in words; {ge}, {le}… come from the error's context
VALIDATION_MESSAGES = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_parsing_size": "数值太大",
    "int_from_float": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_unicode": "应为有效的 Unicode 文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应不大于 {le}",
    "less_than": "应小于 {lt}",
    "list_type": "应为数组",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期（不带时间），格式 YYYY-MM-DD",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "json_invalid": "不是有效的 JSON",
    "literal_error": "应为 {expected} 之一",
    "enum": "应为 {expected} 之一",
    "extra_forbidden": "不是可用的字段",
    "value_error": "取值无效",
}

STATUS_MESSAGES = {
    400: "请求无效",
    401: "需要有效的 API 令牌：请求头 Authorization: Bearer <令牌>（qingdan token 用户名）",
    403: "无权进行此操作",
    404: "没有找到",
    405: "此地址不接受这种请求方法",
    413: "请求体超过大小上限",
    500: "服务器内部错误，已记入日志；请稍后再试，或把出错的时间告诉管理员",
}

# what django-ninja itself says, in English, when it refuses a request
NINJA_MESSAGES = {
    "Cannot parse request body": "请求体无法解析：应为有效的 JSON（或 multipart 表单）",
    "Unauthorized": STATUS_MESSAGES[401],
    "Forbidden": STATUS_MESSAGES[403],
}


def error_json(status: int, message: str, fields: list[dict[str, str]] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"status": status, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def error_response(status: int, message: str, fields: list[dict[str, str]] | None = None) -> JsonResponse:
    return JsonResponse(
        error_json(status, message, fields), status=status, json_dumps_params={"ensure_ascii": False}
    )


def _with_fields(status: int, fields: list[dict[str, str]]) -> JsonResponse:
    listed = "；".join(f"{f['path']}：{f['message']}" for f in fields)
    return error_response(status, f"参数错误：{listed}", fields)


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """ninja's ("body", "body", "values", "text") → body.values.text; ("query", "offset") stays."""
    parts = [str(p) for p in loc]
    if len(parts) > 1 and parts[0] == parts[1] == "body":
        parts = parts[1:]
    return ".".join(parts)


def validation_message(error: dict[str, Any]) -> str:
    template = VALIDATION_MESSAGES.get(str(error.get("type", "")), "取值无效")
    try:
        return template.format(**error.get("ctx", {}))
    except (KeyError, IndexError, ValueError):
        return template.split("{", 1)[0].strip() or "取值无效"


def _status_of(exc: QingdanError) -> int:
    return {PermissionDenied: 403, NotFound: 404, EditConflict: 409}.get(type(exc), 400)


def install(api: NinjaAPI) -> None:
    """Register the handlers that give every exception inside the API the one shape."""

    def on(
        exc_class: type[Exception],
    ) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
        return api.exception_handler(exc_class)

    @on(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = [
            {"path": field_path(e.get("loc", ())), "message": validation_message(e)} for e in exc.errors
        ]
        return _with_fields(422, fields)

    @on(InvalidValue)
    def invalid_value(request: HttpRequest, exc: InvalidValue) -> HttpResponse:
        return _with_fields(422, [{"path": f"body.{exc.field}", "message": exc.reason}])

    @on(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(404, str(exc) or STATUS_MESSAGES[404])

    @on(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(401, STATUS_MESSAGES[401])

    @on(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        return error_response(exc.status_code, NINJA_MESSAGES.get(message.split(" (")[0], message))

    @on(QingdanError)
    def domain_error(request: HttpRequest, exc: QingdanError) -> HttpResponse:
        return error_response(_status_of(exc), exc.message)

    @on(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
        from django.conf import settings

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return error_response(
            413,
            f"请求体超过上限 {limit} 字节（DATA_UPLOAD_MAX_MEMORY_SIZE）；导入文件请用 multipart 上传",
        )

    @on(MultiPartParserError)
    def bad_multipart(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(
            400, "multipart 表单无法解析（缺少 boundary，或内容被截断）；上传文件请用 multipart/form-data"
        )

    @on(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.warning("%s %s refused: %s", request.method, request.get_full_path(), exc)
        return error_response(400, "请求无效（字段或文件过多，或格式异常）")

    @on(Exception)
    def crash(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error("%s %s", request.method, request.get_full_path(), exc_info=exc)
        return error_response(500, STATUS_MESSAGES[500])


class ApiErrorMiddleware:
    """Under /api/, an error Django answers outside the endpoints (no such address, a method the
    address does not take, a crash in a middleware) gets the API's shape instead of an HTML page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith(API_PREFIX) or response.status_code < 400 or _is_json(response):
            return response
        return _reshaped(request, response)


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _reshaped(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    status = response.status_code
    if status == 404:
        message = f"没有这个接口：{request.method} {request.path}（接口一览见 /api/v1/docs）"
    elif status == 405:
        message = f"{request.path} 不接受 {request.method} 请求；可用的方法：{response.get('Allow', '')}"
    else:
        message = STATUS_MESSAGES.get(status, f"请求失败（HTTP {status}）")
    reshaped = error_response(status, message)
    if response.has_header("Allow"):
        reshaped["Allow"] = response["Allow"]
    return reshaped
