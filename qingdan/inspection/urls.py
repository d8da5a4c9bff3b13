"""双随机抽查 pages of the 工作台, included under /work/inspection/."""

from django.urls import path

from qingdan.inspection import views_tasks

urlpatterns: list = [
    path("tasks/", views_tasks.task_list, name="inspection-tasks"),
    path("tasks/<int:task_id>/", views_tasks.task_detail, name="inspection-task"),
    path("burden/", views_tasks.burden, name="inspection-burden"),
    path(
        "plans/<int:plan_id>/publish-results/", views_tasks.publish_results, name="inspection-publish-results"
    ),
]
