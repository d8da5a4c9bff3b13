"""双随机抽查 pages of the 工作台, included under /work/inspection/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
