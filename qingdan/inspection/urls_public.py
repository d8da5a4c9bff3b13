"""双随机抽查 on the public portal: the published item catalogue, plans with their population
hash, draws with their seed and document (draw.json), and published results."""

from django.urls import path

from qingdan.inspection import views_items, views_public, views_tasks

urlpatterns: list = [
    path("d/<int:department_id>/inspection/items/", views_items.public_items, name="public-inspection-items"),
    path("d/<int:department_id>/inspection/", views_public.inspection, name="public-inspection"),
    path(
        "d/<int:department_id>/inspection/plans/<int:plan_id>/",
        views_public.inspection_plan,
        name="public-inspection-plan",
    ),
    path(
        "d/<int:department_id>/inspection/plans/<int:plan_id>/draw.json",
        views_public.inspection_draw,
        name="public-inspection-draw",
    ),
    path(
        "d/<int:department_id>/inspection/results/",
        views_tasks.public_results,
        name="public-inspection-results",
    ),
]
