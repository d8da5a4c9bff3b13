"""The authenticated write API: drafts, edits, review. A request carries an API token
(``Authorization: Bearer qd_…``, made with ``qingdan token USER``) and acts as that user; the
service layer applies the same permission rules as on the web and the command line.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import HttpBearer

from qingdan.catalog.editing import Edit, edit_draft, start_draft
from qingdan.catalog.models import ListVersion
from qingdan.catalog.review import approve, send_back, submit
from qingdan.catalog.services import import_export, import_list, plan_export, record_for, record_of
from qingdan.catalog.succession import record_succession, undo_succession
from qingdan.core.accounts import actor_for_token
from qingdan.core.lineage import lineage_of
from qingdan.core.models import Department
from qingdan.core.permissions import Actor, PermissionDenied, can_edit, can_see_drafts, require
from qingdan.errors import NotFound, QingdanError
from qingdan.ingest import load_bytes


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        return actor_for_token(token)


router = Router(auth=TokenAuth(), tags=["工作人员（需要令牌）"])

MAX_ID = 2**63 - 1  # the largest primary key (BigAutoField); a larger one would overflow the query


class DraftOut(Schema):
    department: str
    number: int
    status: str
    status_label: str
    revision: int


class EditIn(Schema):
    revision: int
    op: str
    path: str
    values: dict[str, Any] = {}
    delta: int = 0
    to: str = ""


class SubmitIn(Schema):
    reason: str
    basis: str
    comment: str = ""


class CommentIn(Schema):
    comment: str = ""


def _actor(request: HttpRequest) -> Actor:
    return request.auth  # type: ignore[attr-defined, no-any-return]


def _department(department_id: int) -> Department:
    dept = Department.objects.select_related("jurisdiction").filter(pk=department_id).first()
    if dept is None:
        raise NotFound(f"没有编号为 {department_id} 的部门")
    return dept


def _open(request: HttpRequest, department_id: int) -> ListVersion:
    dept = _department(department_id)
    if not can_see_drafts(_actor(request), dept):
        raise PermissionDenied(f"{_actor(request)}无权查看{dept.name}的草稿。")
    version = dept.versions.unpublished().first()
    if version is None:
        raise NotFound(f"{dept.name}没有草稿或待审核的版本")
    return version


def _read(file: UploadedFile) -> bytes:
    """The upload's bytes; one over QINGDAN_MAX_FILE_BYTES is refused (413) before it is read."""
    limit = settings.QINGDAN_MAX_FILE_BYTES
    if file.size is not None and file.size > limit:
        raise HttpError(
            413,
            f"文件「{file.name}」大小 {file.size / 1048576:.1f} MB，超过上限 {limit / 1048576:.1f} MB"
            "（设置 QINGDAN_MAX_FILE_BYTES）；请拆分文件后再导入",
        )
    return file.read()


def _out(version: ListVersion) -> dict[str, Any]:
    return {
        "department": version.department.name,
        "number": version.number,
        "status": version.status,
        "status_label": version.get_status_display(),
        "revision": version.revision,
    }


@router.get("/departments/{department_id}/draft", summary="草稿或待审核版本（qingdan/1 格式，含修订号）")
def get_draft(request: HttpRequest, department_id: int) -> dict[str, Any]:
    version = _open(request, department_id)
    return {**_out(version), "list": record_of(version).to_json()}


@router.post("/departments/{department_id}/draft", response=DraftOut, summary="新建草稿（复制最新版本）")
def new_draft(request: HttpRequest, department_id: int) -> dict[str, Any]:
    return _out(start_draft(_actor(request), _department(department_id)))


@router.post("/departments/{department_id}/draft/edits", response=DraftOut, summary="修改草稿中的一项")
def edit(request: HttpRequest, department_id: int, body: EditIn) -> dict[str, Any]:
    version = _open(request, department_id)
    change = Edit(body.op, body.path, body.values, body.delta, body.to)
    return _out(edit_draft(_actor(request), version, body.revision, change))


@router.post("/departments/{department_id}/draft/import", response=DraftOut, summary="导入文件作为草稿")
def import_draft(
    request: HttpRequest,
    department_id: int,
    file: UploadedFile = File(...),  # noqa: B008
    rename_from: str = Form(""),
) -> dict[str, Any]:
    """``rename_from``: the name the file states, when it is this department's name before a rename
    (administrators only)."""
    dept = _department(department_id)
    actor = _actor(request)
    # refuse before reading: any token holder could otherwise make a worker parse a file
    require(can_edit(actor, dept), actor, f"修改{dept.name}的清单")
    data = _read(file)
    loaded = load_bytes(file.name or "upload", data, dept.name, dept.jurisdiction.name)
    digest = hashlib.sha256(data).hexdigest()
    record = record_for(loaded, dept)
    return _out(import_list(record, file.name or "", digest, actor, True, rename_from).version)


@router.post(
    "/imports", summary="导入多部门的权力清单（全市、全县导出），按实施主体分部门；试运行只返回分解情况"
)
def import_power_export(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008
    dry_run: bool = Form(False),
    department: str = Form(""),
    jurisdiction: str = Form(""),
) -> dict[str, Any]:
    """One list per department, all or nothing. ``department`` takes only the rows whose
    实施主体 cannot be attributed; without it such rows refuse the import (listed by row)."""
    require(_actor(request).is_admin, _actor(request), "导入多部门的权力清单")  # before reading the file
    data = _read(file)
    loaded = load_bytes(file.name or "upload", data, department, jurisdiction)
    if not loaded.is_multi:
        raise QingdanError("这份文件只含一个部门的清单，请用 /departments/{id}/draft/import 导入")
    breakdown = plan_export(loaded)
    result: dict[str, Any] = {"dry_run": dry_run, **breakdown.as_json()}
    if not dry_run:
        digest = hashlib.sha256(data).hexdigest()
        done = import_export(breakdown, file.name or "", digest, _actor(request))
        result["versions"] = [
            {"department": name, "number": r.version.number, "created": r.created, "status": r.version.status}
            for name, r in done.items()
        ]
    return result


@router.post("/departments/{department_id}/draft/submit", response=DraftOut, summary="提交法制审核")
def submit_draft(request: HttpRequest, department_id: int, body: SubmitIn) -> dict[str, Any]:
    version = _open(request, department_id)
    return _out(submit(_actor(request), version, body.reason, body.basis, body.comment))


@router.post("/departments/{department_id}/draft/approve", response=DraftOut, summary="审核通过")
def approve_draft(request: HttpRequest, department_id: int, body: CommentIn) -> dict[str, Any]:
    return _out(approve(_actor(request), _open(request, department_id), body.comment))


@router.post("/departments/{department_id}/draft/return", response=DraftOut, summary="退回修改")
def return_draft(request: HttpRequest, department_id: int, body: CommentIn) -> dict[str, Any]:
    return _out(send_back(_actor(request), _open(request, department_id), body.comment))


DepartmentId = Annotated[int, Field(ge=1, le=MAX_ID)]


class SuccessionIn(Schema):
    successor: DepartmentId
    predecessors: list[DepartmentId]
    basis: str = ""
    effective_on: date | None = None
    rename: bool = False


class UndoIn(Schema):
    successor: DepartmentId
    predecessors: list[DepartmentId]


def _lineage_out(successor: Department, predecessors: list[Department]) -> dict[str, Any]:
    return {
        "successor": {"id": successor.pk, "name": successor.name, **lineage_of(successor).as_json()},
        "predecessors": [
            {"id": d.pk, "name": d.name, "abolished": lineage_of(d).status} for d in predecessors
        ],
    }


@router.post("/successions", summary="记录机构改革：合并、分设或更名（系统管理员）")
def new_succession(request: HttpRequest, body: SuccessionIn) -> dict[str, Any]:
    successor = _department(body.successor)
    predecessors = [_department(pk) for pk in body.predecessors]
    record_succession(_actor(request), successor, predecessors, body.basis, body.effective_on, body.rename)
    return _lineage_out(successor, predecessors)


@router.post("/successions/undo", summary="撤销记错的机构沿革（系统管理员）")
def undo(request: HttpRequest, body: UndoIn) -> dict[str, Any]:
    successor = _department(body.successor)
    predecessors = [_department(pk) for pk in body.predecessors]
    undo_succession(_actor(request), successor, predecessors)
    return _lineage_out(successor, predecessors)


@router.get(
    "/departments/{department_id}/staff", summary="执法人员（含执法证提示）、岗位、局领导和责任缺口（只读）"
)
def get_staff(request: HttpRequest, department_id: int) -> dict[str, Any]:
    from qingdan.enforcement.commands import staff_data

    return staff_data(_department(department_id), _actor(request))
