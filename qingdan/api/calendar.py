"""The work calendar in the API: the due date of a period and a year's holidays (public, read-only),
and for administrators with a token: store a notice, set or unset one day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from qingdan.api.staff import TokenAuth
from qingdan.deadlines.calendars import due as compute_due
from qingdan.deadlines.engine import MAX_PERIOD, PeriodError
from qingdan.deadlines.services import import_notice, remove_day, set_day, year_json, year_view

router = Router(tags=["工作日历与期限"])


@router.get(
    "/calendar/due",
    summary="到期日：自 start 起（当日不计）n 个工作日（working）或自然日（calendar）、月（month）",
)
def due(
    request: HttpRequest,
    start: dt.date,
    n: int = Query(..., ge=0, le=MAX_PERIOD),
    unit: str = Query(..., pattern="^(working|calendar|month)$"),
) -> dict[str, Any]:
    try:
        result = compute_due(start, n, unit)
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from None
    return {"due": result.date.isoformat(), "warnings": result.warnings, "uncertain": result.uncertain}


class NoticeIn(Schema):
    text: str
    year: int | None = None
    dry_run: bool = False


class DayIn(Schema):
    date: dt.date
    kind: str
    name: str = ""


@router.post(
    "/calendar/notices", auth=TokenAuth(), summary="录入国务院节假日安排通知（系统管理员）；dry_run 只预览"
)
def notice(request: HttpRequest, body: NoticeIn) -> dict[str, Any]:
    result = import_notice(request.auth, body.text, body.year, dry_run=body.dry_run)  # type: ignore[attr-defined]
    return {
        "year": result.parsed.year,
        "stored": result.notice is not None,
        "summary": result.summary(),
        "holidays": [str(d.date) for d in result.parsed.holidays()],
        "workdays": [str(d.date) for d in result.parsed.workdays()],
        "changes": [
            {"date": str(day), "before": before, "after": after} for day, before, after in result.changes
        ],
    }


@router.post(
    "/calendar/days",
    auth=TokenAuth(),
    summary="单独设定某天为休息日（holiday）或调休上班（workday）（系统管理员）",
)
def set_one_day(request: HttpRequest, body: DayIn) -> dict[str, Any]:
    row = set_day(request.auth, body.date, body.kind, body.name)  # type: ignore[attr-defined]
    return {"date": str(row.date), "kind": row.kind, "name": row.name}


@router.delete("/calendar/days/{day}", auth=TokenAuth(), summary="删除对某天的单独设定（系统管理员）")
def unset_one_day(request: HttpRequest, day: dt.date) -> dict[str, Any]:
    remove_day(request.auth, day)  # type: ignore[attr-defined]
    return {"date": str(day), "removed": True}


# after /calendar/days: a path parameter would otherwise take 「days」 as a year
@router.get("/calendar/{year}", summary="某年的放假日、调休上班日，是否已录入、数据来源")
def year(request: HttpRequest, year: int) -> dict[str, Any]:
    if not 1900 <= year <= 2200:
        raise HttpError(404, f"年份 {year} 不在 1900 到 2200 之间。")
    return year_json(year_view(year))
