"""双随机抽查 pages of the 工作台, included under /work/inspection/."""

from django.urls import path

from qingdan.inspection import views_items

urlpatterns: list = [
    path("d/<int:department_id>/items/", views_items.items, name="inspection-items"),
]
