"""The case API (token required): a department's cases, one case, the 工作台's deadlines, and
every step — ``POST /api/cases/{id}/steps/{step}`` with the step's parameters as JSON, run
through the same ``steps`` table and services as the command line and the pages."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from qingdan.api.staff import MAX_ID, TokenAuth, _actor, _department
from qingdan.cases import steps
from qingdan.cases.models import PenaltyCase
from qingdan.cases.services import open_case
from qingdan.cases.summary import case_detail, case_list, desk_deadlines
from qingdan.errors import NotFound, QingdanError

router = Router(auth=TokenAuth(), tags=["行政处罚案件（需要令牌）"])


class CaseIn(Schema):
    department_id: int
    title: str
    source: str
    occurred_on: str
    party_kind: str = "organisation"
    party_name: str
    party_id_number: str = ""
    party_address: str = ""
    inspectors: list[str]
    unit: str = ""
    simple: bool = False


class StepIn(Schema):
    params: dict[str, Any] = {}
    file_name: str = ""
    file_base64: str = ""  # add_evidence: the file, base64-encoded


def _case(case_id: int) -> PenaltyCase:
    found = (
        PenaltyCase.objects.select_related("department").filter(pk=case_id).first()
        if 0 < case_id <= MAX_ID
        else None
    )
    if found is None:
        raise NotFound(f"没有编号为 {case_id} 的案件")
    return found


@router.get("/cases", summary="部门的行政处罚案件（分页，每页 50 件）")
def cases(
    request: HttpRequest, department_id: int, stage: str = "", page: int = Query(1, ge=1, le=2**31 - 1)
) -> dict[str, Any]:
    return case_list(_actor(request), _department(department_id), stage=stage, page=page)


@router.post("/cases", summary="登记案件线索（发现）")
def create(request: HttpRequest, body: CaseIn) -> dict[str, Any]:
    department = _department(body.department_id)
    case = open_case(
        _actor(request),
        department,
        title=body.title,
        source=body.source,
        occurred_on=steps.convert_date(body.occurred_on, "occurred_on"),
        party_kind=body.party_kind,
        party_name=body.party_name,
        party_id_number=body.party_id_number,
        party_address=body.party_address,
        inspectors=[steps.officer_named(department, ref) for ref in body.inspectors],
        unit=body.unit,
        procedure_kind=PenaltyCase.SIMPLE if body.simple else PenaltyCase.GENERAL,
    )
    return case_detail(_actor(request), case)


@router.get("/cases/deadlines", summary="工作台：本周到期和已逾期的案件期限（分页）")
def deadlines(request: HttpRequest, page: int = Query(1, ge=1, le=2**31 - 1)) -> dict[str, Any]:
    return desk_deadlines(_actor(request), page=page)


@router.get("/cases/{case_id}", summary="一件案件：当事人、阶段、承办人员、办理记录、证据、期限及其依据")
def case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return case_detail(_actor(request), _case(case_id))


@router.post("/cases/{case_id}/steps/{step}", summary="办理一个步骤（参数见 `qingdan cases steps`）")
def step(request: HttpRequest, case_id: int, step: str, body: StepIn) -> dict[str, Any]:
    found = _case(case_id)
    actor = _actor(request)
    from qingdan.cases.roles import require_see

    require_see(actor, found.department)
    try:
        content = base64.b64decode(body.file_base64, validate=True) if body.file_base64 else b""
    except (binascii.Error, ValueError):
        raise QingdanError("file_base64 不是有效的 Base64 编码。") from None
    steps.run(actor, found, step, body.params, content=content, file_name=body.file_name)
    found.refresh_from_db()
    return case_detail(actor, found)
