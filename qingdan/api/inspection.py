"""双随机抽查 API: ``router`` for staff (token required), ``public_router`` for what the portal
publishes (the item catalogue, committed plans, draw documents, published results)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from qingdan.api.staff import TokenAuth, _actor, _department
from qingdan.errors import QingdanError
from qingdan.inspection import pool, roles

router = Router(auth=TokenAuth(), tags=["双随机抽查（需要令牌）"])
public_router = Router(tags=["双随机抽查（公开）"])


# --- 检查对象名录库 and 执法检查人员名录库 (pool.py) ----------------------------------------------


class PoolImportIn(Schema):
    file_name: str
    file_base64: str
    replace: bool = False


@router.get("/departments/{department_id}/inspectees", summary="检查对象名录库（分页，每页 50 个）")
def inspectees(
    request: HttpRequest,
    department_id: int,
    risk: str = "",
    category: str = "",
    page: int = Query(1, ge=1, le=2**31 - 1),
) -> dict[str, Any]:
    return pool.inspectee_list(
        _actor(request), _department(department_id), risk=risk, category=category, page=page
    )


@router.post(
    "/departments/{department_id}/inspectees/import",
    summary="导入检查对象名录库（CSV 或 XLSX，Base64；有任何一行出错则整份不导入）",
)
def inspectees_import(request: HttpRequest, department_id: int, body: PoolImportIn) -> dict[str, Any]:
    department = _department(department_id)
    roles.require_editor(_actor(request), department, "导入检查对象名录库")  # before the file is read
    try:
        content = base64.b64decode(body.file_base64, validate=True)
    except (binascii.Error, ValueError):
        raise QingdanError("file_base64 不是有效的 Base64 编码。") from None
    name = body.file_name.strip() or "上传文件"
    result = pool.import_inspectee_bytes(_actor(request), department, name, content, replace=body.replace)
    return result.as_json()


@router.get(
    "/departments/{department_id}/inspectors", summary="执法检查人员名录库：某日执法证是否有效与回避申报"
)
def inspectors(request: HttpRequest, department_id: int, on: str = "") -> dict[str, Any]:
    day = None
    if on:
        try:
            day = dt.date.fromisoformat(on.strip())
        except ValueError:
            raise QingdanError(f"on「{on}」不是日期：请写成 YYYY-MM-DD") from None
    return pool.roster_for(_actor(request), _department(department_id), day)
