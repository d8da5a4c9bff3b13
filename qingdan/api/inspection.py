"""双随机抽查 API: ``router`` for staff (token required), ``public_router`` for what the portal
publishes (the item catalogue, committed plans, draw documents, published results)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from qingdan.api.staff import MAX_ID, TokenAuth
from qingdan.core.models import Department
from qingdan.errors import NotFound

router = Router(auth=TokenAuth(), tags=["双随机抽查（需要令牌）"])
public_router = Router(tags=["双随机抽查（公开）"])


def _department(department_id: int) -> Department:
    found = (
        Department.objects.select_related("jurisdiction").filter(pk=department_id).first()
        if 0 < department_id <= MAX_ID
        else None
    )
    if found is None:
        raise NotFound(f"没有编号为 {department_id} 的部门")
    return found


# --- 随机抽查事项清单 (qingdan/inspection/catalog.py) -----------------------------------------


@public_router.get(
    "/departments/{department_id}/inspection-items",
    response=dict[str, Any],
    summary="一个部门现行发布的随机抽查事项清单（版本号、发布时间、各事项的比例频次及其原文），以及历次版本",
)
def inspection_items(
    request: HttpRequest, department_id: int, version: int = Query(0, ge=0, le=2**31 - 1)
) -> dict[str, Any]:
    """``version``: an older published version (0 or absent: the current one)."""
    from qingdan.inspection.catalog import catalog_json, public_catalog, published_versions

    department = _department(department_id)
    return {
        **catalog_json(public_catalog(department, version or None)),
        "versions": published_versions(department),
    }
