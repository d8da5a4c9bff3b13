"""双随机抽查 on the public portal: the published item catalogue, plans with their population
hash, draws with their seed and document (draw.json), and published results."""

from django.urls import path

from qingdan.inspection import views_tasks

urlpatterns: list = [
    path(
        "d/<int:department_id>/inspection/results/",
        views_tasks.public_results,
        name="public-inspection-results",
    ),
]
