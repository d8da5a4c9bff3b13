"""裁量基准 (public: they are published documents), a proposal for a circumstance, the import
(a department's editors, by token) and case statistics (by token, for whoever may see them)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile

from qingdan.api.staff import MAX_ID, TokenAuth, _actor, _read
from qingdan.api.staff import _department as _department_of
from qingdan.cases.discretion import (
    find_standard,
    import_standards_bytes,
    propose,
    remove_standard,
    require_edit,
    standard_json,
)
from qingdan.cases.models import DiscretionStandard
from qingdan.cases.statistics import can_see_statistics, case_statistics, visible_departments
from qingdan.core.models import Department
from qingdan.core.permissions import require
from qingdan.errors import NotFound

router = Router(tags=["裁量基准与案件统计"])


def _department(department_id: int) -> Department:
    if not 0 < department_id <= MAX_ID:
        raise NotFound(f"没有编号为 {department_id} 的部门")
    return _department_of(department_id)


@router.get("/departments/{department_id}/discretion", summary="一个部门的行政处罚裁量基准（公开，分页）")
def standards(
    request: HttpRequest,
    department_id: int,
    offset: int = Query(0, ge=0, le=2**31 - 1),
    limit: int = Query(100, ge=1, le=500),
) -> dict[str, Any]:
    department = _department(department_id)
    rows = DiscretionStandard.objects.filter(department=department)
    page = rows.select_related("law").prefetch_related("levels")[offset : offset + limit]
    return {
        "department": department.name,
        "count": rows.count(),
        "offset": offset,
        "limit": limit,
        "standards": [standard_json(s) for s in page],
    }


@router.get(
    "/departments/{department_id}/discretion/{code}/propose",
    summary="按情节给出裁量幅度、建议罚款和适用标准（circumstance：从轻处罚、一般处罚、从重处罚……）",
)
def proposal(
    request: HttpRequest, department_id: int, code: str, circumstance: str = Query(...)
) -> dict[str, Any]:
    return propose(find_standard(_department(department_id), code), circumstance).as_json()


@router.post(
    "/departments/{department_id}/discretion/import",
    auth=TokenAuth(),
    summary="导入裁量基准表（本部门填报员、系统管理员）；试运行只检查并返回将要保存的内容",
)
def import_file(
    request: HttpRequest,
    department_id: int,
    file: UploadedFile = File(...),  # noqa: B008
    dry_run: bool = Form(False),
) -> dict[str, Any]:
    department = _department(department_id)
    require_edit(_actor(request), department)  # before reading the upload
    result = import_standards_bytes(_actor(request), department, file.name or "upload", _read(file), dry_run)
    return {
        "dry_run": dry_run,
        "summary": result.summary(),
        "created": result.created,
        "updated": result.updated,
        "removed": result.removed,
        "standards": len(result.file.standards),
        "levels": result.levels,
        "warnings": [str(w) for w in result.file.warnings],
    }


@router.delete(
    "/departments/{department_id}/discretion/{code}",
    auth=TokenAuth(),
    summary="删除一项裁量基准（本部门填报员、系统管理员；办理中的案件适用的不能删除）",
)
def remove(request: HttpRequest, department_id: int, code: str) -> dict[str, Any]:
    standard = find_standard(_department(department_id), code)
    remove_standard(_actor(request), standard)
    return {"removed": standard.code}


@router.get("/statistics/cases", auth=TokenAuth(), summary="案件统计：各阶段案件数、逾期期限、各阶段平均用时")
def statistics(
    request: HttpRequest,
    department: int | None = Query(None, ge=1, le=MAX_ID),
    by: str = "department",
) -> dict[str, Any]:
    actor = _actor(request)
    if department is not None:
        dept = _department(department)
        require(can_see_statistics(actor, dept), actor, f"查看{dept.name}的案件统计")
        departments = [dept]
    else:
        departments = visible_departments(actor)
    return case_statistics(departments, by).as_json()
