"""Case pages, included under /work/cases/."""

from django.urls import path

from qingdan.cases import views

urlpatterns = [
    path("", views.index, name="cases-index"),
    path("d/<int:department_id>/", views.case_list, name="cases-list"),
    path("d/<int:department_id>/new", views.open_case, name="case-open"),
    path("<int:case_id>/", views.case_detail, name="case-detail"),
    path("<int:case_id>/<slug:move>", views.case_move, name="case-move"),
]
