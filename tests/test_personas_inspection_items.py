"""Who may take each 双随机抽查 step, on every interface (service, command line, web page, API): every
persona tries the step in a savepoint rolled back afterwards, and "allowed" is judged by the
effect on the data, not by the response. Each part of #13 keeps its steps in its own section."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from qingdan.cases.roles import assign_role
from qingdan.cli import main
from qingdan.core.accounts import actor_named, create_token, create_user
from qingdan.core.models import Department
from qingdan.core.permissions import COMMAND_LINE
from qingdan.inspection import catalog
from qingdan.inspection.models import InspectionItem, ItemCatalog
from tests.conftest import LUQUAN_KEGONG, password_of

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def attempt(change: Callable[[], Any], snapshot: Callable[[], Any]) -> bool:
    """Whether ``change`` changed what ``snapshot`` sees (then undone)."""
    before = snapshot()
    try:
        with transaction.atomic():
            try:
                change()
            except Exception as error:  # a refusal: in Chinese, never a traceback
                assert "Traceback" not in str(error)
            after = snapshot()
            raise Rollback
    except Rollback:
        pass
    return after != before


# --- 随机抽查事项清单 (qingdan/inspection/catalog.py) ----------------------------------------

ITEM_PERSONAS = ["filler_other", "kg_head", "kg_unithead", "legal_other", "filler", "admin", "head_other"]
EDITORS = {"filler_other", "admin"}  # 本部门填报员、系统管理员
LEADS = {"kg_head", "kg_unithead"}  # 执法科室负责人、主管局长、主要负责人


@pytest.fixture
def items_world(staff):
    """Seed 000's department with a lead who does not edit (主要负责人 on a 法制审核员 account),
    a 执法科室负责人 likewise, and the 主要负责人 of another department."""
    kegong = staff["other"]
    users = get_user_model().objects
    for username, role, department in [
        ("kg_head", "head", kegong),
        ("kg_unithead", "unit_head", kegong),
        ("head_other", "head", staff["department"]),
    ]:
        create_user(COMMAND_LINE, username, "legal", department, None, password=password_of(username))
        assign_role(COMMAND_LINE, department, users.get(username=username), role)
    for username in ITEM_PERSONAS:
        TOKENS[username] = create_token(COMMAND_LINE, username)
    return kegong


TOKENS: dict[str, str] = {}


def catalogue_state(department: Department) -> Any:
    catalogs = list(ItemCatalog.objects.filter(department=department).values_list("number", "state"))
    items = list(
        InspectionItem.objects.filter(catalog__department=department).values_list(
            "catalog__number", "position", "name", "ratio"
        )
    )
    return catalogs, items


def _service(persona: str) -> Any:
    return COMMAND_LINE if persona == "admin" else actor_named(persona)


def _item(department: Department) -> InspectionItem:
    return catalog.find_item(department, 5)


def item_steps(department: Department) -> dict[str, dict[str, Callable[[str], Any]]]:
    """Each step on each interface, as a function of the persona."""

    def cli(*args: str) -> Callable[[str], Any]:
        return lambda p: CliRunner().invoke(main, [*(["--user", p] if p != "admin" else []), "draw", *args])

    def web(data: Callable[[], dict[str, Any]]) -> Callable[[str], Any]:
        def post(p: str) -> Any:
            client = Client()
            client.force_login(get_user_model().objects.get(username=p))
            return client.post(f"/work/inspection/d/{department.pk}/items/", data())

        return post

    def api(method: str, path: str, body: dict[str, Any] | None = None) -> Callable[[str], Any]:
        def call(p: str) -> Any:
            return getattr(Client(), method)(
                f"/api/v1/departments/{department.pk}/inspection-items{path}",
                json.dumps(body or {}),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {TOKENS[p]}",
            )

        return call

    def edit_form() -> dict[str, Any]:
        item = _item(department)
        return {"action": "edit", "item": item.pk, "name": item.name, "ratio": "30%", "min_inspectors": "2"}

    return {
        "derive": {
            "service": lambda p: catalog.derive_catalog(_service(p), department),
            "cli": cli("derive", LUQUAN_KEGONG),
            "web": web(lambda: {"action": "derive"}),
            "api": api("post", "/derive"),
        },
        "edit": {
            "service": lambda p: catalog.edit_item(_service(p), _item(department), ratio="0.3"),
            "cli": cli("edit-item", LUQUAN_KEGONG, "5", "--ratio", "0.3"),
            "web": web(edit_form),
            "api": api("patch", "/draft/items/5", {"ratio": 0.3}),
        },
        "add": {
            "service": lambda p: catalog.add_item(_service(p), department, name="新增事项"),
            "cli": cli("add-item", LUQUAN_KEGONG, "--name", "新增事项"),
            "web": web(lambda: {"action": "add", "name": "新增事项", "min_inspectors": "2"}),
            "api": api("post", "/draft/items", {"name": "新增事项"}),
        },
        "remove": {
            "service": lambda p: catalog.remove_item(_service(p), _item(department)),
            "cli": cli("remove-item", LUQUAN_KEGONG, "5"),
            "web": web(lambda: {"action": "remove", "item": _item(department).pk}),
            "api": api("delete", "/draft/items/5"),
        },
        "publish": {
            "service": lambda p: catalog.publish_catalog(_service(p), department),
            "cli": cli("publish-items", LUQUAN_KEGONG),
            "web": web(lambda: {"action": "publish"}),
            "api": api("post", "/publish"),
        },
        "new_draft": {
            "service": lambda p: catalog.new_draft(_service(p), department),
            "cli": cli("items-draft", LUQUAN_KEGONG),
            "web": web(lambda: {"action": "new_draft"}),
            "api": api("post", "/draft"),
        },
    }


def who_may(department: Department, step: str) -> dict[str, set[str]]:
    found = {}
    for interface, run in item_steps(department)[step].items():
        found[interface] = {
            p
            for p in ITEM_PERSONAS
            if attempt(lambda p=p, run=run: run(p), lambda: catalogue_state(department))  # type: ignore[misc]
        }
    return found


def test_items_only_editors_derive_a_draft(items_world):
    everywhere = who_may(items_world, "derive")
    assert everywhere == {"service": EDITORS, "cli": EDITORS, "web": EDITORS, "api": EDITORS}


def test_items_only_editors_change_a_draft_and_only_leads_publish_it(items_world):
    catalog.derive_catalog(COMMAND_LINE, items_world)
    for step in ("edit", "add", "remove"):
        assert who_may(items_world, step) == {
            "service": EDITORS,
            "cli": EDITORS,
            "web": EDITORS,
            "api": EDITORS,
        }, step
    assert who_may(items_world, "publish") == {"service": LEADS, "cli": LEADS, "web": LEADS, "api": LEADS}


def test_items_only_editors_open_a_new_draft_and_nobody_edits_the_published(items_world):
    catalog.derive_catalog(COMMAND_LINE, items_world)
    catalog.publish_catalog(actor_named("kg_head"), items_world)
    assert who_may(items_world, "new_draft") == {
        "service": EDITORS,
        "cli": EDITORS,
        "web": EDITORS,
        "api": EDITORS,
    }
    nobody: dict[str, set[str]] = {"service": set(), "cli": set(), "web": set(), "api": set()}
    assert who_may(items_world, "publish") == nobody  # there is no draft to publish
    published = catalog.find_item(items_world, 5, draft=False)
    changed = {
        p
        for p in ITEM_PERSONAS
        if attempt(
            lambda p=p: catalog.edit_item(_service(p), published, ratio="0.3"),  # type: ignore[misc]
            lambda: catalogue_state(items_world),
        )
    }
    assert changed == set()
