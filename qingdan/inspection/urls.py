"""双随机抽查 pages of the 工作台, included under /work/inspection/."""

from django.urls import path

from qingdan.inspection import views, views_items, views_pool, views_tasks

urlpatterns: list = [
    path("d/<int:department_id>/pool/", views_pool.pool_page, name="inspection-pool"),
    path("d/<int:department_id>/inspectors/", views_pool.inspectors_page, name="inspection-inspectors"),
    path("d/<int:department_id>/items/", views_items.items, name="inspection-items"),
    path("tasks/", views_tasks.task_list, name="inspection-tasks"),
    path("tasks/<int:task_id>/", views_tasks.task_detail, name="inspection-task"),
    path("burden/", views_tasks.burden, name="inspection-burden"),
    path(
        "plans/<int:plan_id>/publish-results/", views_tasks.publish_results, name="inspection-publish-results"
    ),
    path("", views.index, name="inspection-index"),
    path("d/<int:department_id>/", views.department_plans, name="inspection-department"),
    path("plans/<int:plan_id>/", views.plan_detail, name="inspection-plan"),
    path("plans/<int:plan_id>/<slug:step>", views.plan_step, name="inspection-plan-step"),
]
