"""双随机抽查 pages of the 工作台, included under /work/inspection/."""

from django.urls import path

from qingdan.inspection import views

urlpatterns: list = [
    path("", views.index, name="inspection-index"),
    path("d/<int:department_id>/", views.department_plans, name="inspection-department"),
    path("plans/<int:plan_id>/", views.plan_detail, name="inspection-plan"),
    path("plans/<int:plan_id>/<slug:step>", views.plan_step, name="inspection-plan-step"),
]
