"""双随机抽查 on the public portal: the published item catalogue, plans with their population
hash, draws with their seed and document (draw.json), and published results."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
