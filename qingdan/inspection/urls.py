"""双随机抽查 pages of the 工作台, included under /work/inspection/."""

from django.urls import path

from qingdan.inspection import views_items, views_pool

urlpatterns: list = [
    path("d/<int:department_id>/pool/", views_pool.pool_page, name="inspection-pool"),
    path("d/<int:department_id>/inspectors/", views_pool.inspectors_page, name="inspection-inspectors"),
    path("d/<int:department_id>/items/", views_items.items, name="inspection-items"),
]
