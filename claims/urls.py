"""The desk's URLs."""

from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="claim_list"),
    path("palette.css", views.palette, name="palette"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/status/", views.claim_transition, name="claim_transition"),
    path("claims/<int:pk>/verdict/", views.claim_verdict, name="claim_verdict"),
    path("claims/<int:pk>/assignee/", views.claim_assign, name="claim_assign"),
    path("claims/<int:pk>/reviewer/", views.claim_assign_reviewer, name="claim_assign_reviewer"),
    path("claims/<int:pk>/annotations/", views.annotation_create, name="annotation_create"),
    path("claims/<int:pk>/evidence/", views.evidence_create, name="evidence_create"),
    path("annotations/<int:pk>/", views.annotation_detail, name="annotation_detail"),
    path("annotations/<int:pk>/edit/", views.annotation_edit, name="annotation_edit"),
    path("annotations/<int:pk>/delete/", views.annotation_delete, name="annotation_delete"),
]
