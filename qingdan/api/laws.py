"""Read-only API of the law registry (public) and the 依据变更提醒 a token's user may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from qingdan.api.staff import TokenAuth
from qingdan.laws.cli import law_data
from qingdan.laws.models import Law
from qingdan.laws.reminders import visible_reminders
from qingdan.laws.services import search_laws

router = Router(tags=["法律法规库"])
MAX_ID = 2**63 - 1


@router.get("/laws", summary="法律法规库（分页；q 按名称、简称、制定机关查找）")
def laws(
    request: HttpRequest,
    q: str = "",
    offset: int = Query(0, ge=0, le=2**31 - 1),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    rows = search_laws(q)
    return {
        "count": rows.count(),
        "offset": offset,
        "limit": limit,
        "items": [law_data(law) for law in rows[offset : offset + limit]],
    }


@router.get("/laws/{law_id}", summary="一部法律法规：名称、修改、条文、被引用次数")
def law(request: HttpRequest, law_id: int) -> dict[str, Any]:
    found = (
        Law.objects.select_related("successor").filter(pk=law_id).first() if 0 < law_id <= MAX_ID else None
    )
    if found is None:
        raise HttpError(404, f"没有编号为 {law_id} 的法律法规。")
    return law_data(found, full=True)


@router.get("/reminders", auth=TokenAuth(), summary="令牌用户可见的待处理依据变更提醒")
def reminders(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": r.pk,
            "department": r.department.name,
            "law": r.law.title,
            "law_id": r.law_id,
            "change": r.get_change_display(),
            "changed_on": str(r.changed_on),
            "version": r.version.number,
            "status": r.get_status_display(),
            "items": r.items,
        }
        for r in visible_reminders(request.auth)  # type: ignore[attr-defined]
    ]
