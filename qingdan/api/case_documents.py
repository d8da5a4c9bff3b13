"""A case's 执法文书 and the templates they are made from (token API).

GET returns the newest document of a kind already made (a GET never writes); POST makes a new
one from the template in force, keeps it with its SHA-256 and returns it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile

from qingdan.api.staff import TokenAuth
from qingdan.cases.documents import (
    DOCX_TYPE,
    KIND_LABELS,
    document_file_name,
    latest_document,
    make_document,
    remove_template,
    template_json,
    upload_template,
)
from qingdan.cases.models import CaseDocument, PenaltyCase
from qingdan.core.models import Department
from qingdan.core.permissions import Actor
from qingdan.errors import NotFound

router = Router(auth=TokenAuth(), tags=["执法文书（需要令牌）"])
MAX_ID = 2**63 - 1


def _actor(request: HttpRequest) -> Actor:
    return request.auth  # type: ignore[attr-defined, no-any-return]


def _case(case_id: int) -> PenaltyCase:
    case = (
        PenaltyCase.objects.select_related("department__jurisdiction").filter(pk=min(case_id, MAX_ID)).first()
    )
    if case is None:
        raise NotFound(f"没有编号为 {case_id} 的案件")
    return case


def _department(department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    department = Department.objects.filter(pk=min(department_id, MAX_ID)).first()
    if department is None:
        raise NotFound(f"没有编号为 {department_id} 的部门")
    return department


def docx_response(content: bytes, file_name: str, sha256: str = "") -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}"
    if sha256:
        response["X-Content-SHA256"] = sha256
    return response


def _file(document: CaseDocument) -> HttpResponse:
    return docx_response(bytes(document.content), document_file_name(document), document.sha256)


@router.get(
    "/cases/{case_id}/documents/{kind}",
    summary="下载案件最近制作的一份执法文书（.docx）",
    response={200: bytes},
)
def download_document(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    return _file(latest_document(_actor(request), _case(case_id), kind))


@router.post(
    "/cases/{case_id}/documents/{kind}",
    summary="用现行模板制作一份执法文书，保存并返回（.docx）",
    response={200: bytes},
)
def create_document(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    return _file(make_document(_actor(request), _case(case_id), kind))


@router.post("/templates/{kind}", summary="上传文书模板（共用：系统管理员；本部门：填报员），检查通过才保存")
def upload(
    request: HttpRequest,
    kind: str,
    file: UploadedFile = File(...),  # noqa: B008
    department_id: int | None = Form(None),
) -> dict[str, Any]:
    limit = int(getattr(settings, "QINGDAN_TEMPLATE_MAX_BYTES", 5 * 1024 * 1024))
    if file.size is not None and file.size > limit:
        raise HttpError(
            413, f"模板「{file.name}」大小 {file.size / 1048576:.1f} MB，超过上限 {limit / 1048576:.1f} MB"
        )
    row = upload_template(
        _actor(request), kind, file.name or "模板.docx", file.read(), _department(department_id)
    )
    return {"kind": kind, "label": KIND_LABELS[kind], **(template_json(row) or {})}


@router.delete("/templates/{kind}", summary="删除上传的文书模板，恢复默认")
def remove(request: HttpRequest, kind: str, department_id: int | None = None) -> dict[str, Any]:
    remove_template(_actor(request), kind, _department(department_id))
    return {"kind": kind, "removed": True}
