"""GET /api/v1/departments/{id}/responsibility: a department's 执法责任制 (public, read-only)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from qingdan.core.models import Department
from qingdan.enforcement.responsibility import as_json, system_of

router = Router(tags=["行政执法责任制"])


@router.get(
    "/departments/{department_id}/responsibility",
    response=dict[str, Any],
    summary="一个部门的行政执法责任制：执法依据、职责与牵头科室、法律责任、考核方案、体检发现、与责任清单的对照",
)
def responsibility(request: HttpRequest, department_id: int) -> dict[str, Any]:
    department = Department.objects.select_related("jurisdiction").filter(pk=department_id).first()
    if department is None:
        raise Http404(f"没有编号为 {department_id} 的部门")
    return as_json(system_of(department))
