"""Routes of the 执法文书 pages (qingdan/cases/views_documents.py), included by qingdan/urls.py."""

from django.urls import path

from qingdan.cases import views_documents as views

urlpatterns = [
    path("work/cases/<int:case_id>/documents/", views.case_documents, name="case-documents"),
    path(
        "work/cases/<int:case_id>/documents/<int:document_id>.docx",
        views.case_document_file,
        name="case-document-file",
    ),
    path("work/cases/report/<int:department_id>.docx", views.major_report, name="case-major-report"),
    path("work/templates/", views.templates_page, name="work-templates"),
    path("work/templates/<slug:kind>.docx", views.template_file, name="work-template-file"),
]
