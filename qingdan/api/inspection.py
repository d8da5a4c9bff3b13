"""双随机抽查 API: ``router`` for staff (token required), ``public_router`` for what the portal
publishes (the item catalogue, committed plans, draw documents, published results)."""

from __future__ import annotations

from ninja import Router

from qingdan.api.staff import TokenAuth

router = Router(auth=TokenAuth(), tags=["双随机抽查（需要令牌）"])
public_router = Router(tags=["双随机抽查（公开）"])
