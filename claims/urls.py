"""The desk's URLs."""

from django.urls import path

from . import queue_views, views

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
    path("queue/", queue_views.my_queue, name="my_queue"),
    path("queue/review/", queue_views.review_start, name="queue_review"),
    path("queue/review/<int:pk>/", queue_views.review_claim, name="queue_review_claim"),
    path("queue/review/<int:pk>/status/", queue_views.review_transition, name="queue_review_transition"),
    path("queue/seen/", queue_views.mark_all_seen, name="mark_all_seen"),
    # Sources and the reader.
    # Web Annotation interchange.
]
