"""The desk's URLs."""

from django.urls import path

from . import interchange_views, queue_views, similar_views, source_views, views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="claim_list"),
    path("palette.css", views.palette, name="palette"),
    path("menus/<str:menu>/", views.filter_options, name="filter_options"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/status/", views.claim_transition, name="claim_transition"),
    path("claims/<int:pk>/verdict/", views.claim_verdict, name="claim_verdict"),
    path("claims/<int:pk>/assignee/", views.claim_assign, name="claim_assign"),
    path("claims/<int:pk>/reviewer/", views.claim_assign_reviewer, name="claim_assign_reviewer"),
    path("claims/<int:pk>/annotations/", views.annotation_create, name="annotation_create"),
    path("claims/<int:pk>/evidence/", views.evidence_create, name="evidence_create"),
    path("claims/similar/", similar_views.claim_similar, name="claim_similar"),
    path("claims/<int:pk>/duplicate/", similar_views.claim_mark_duplicate, name="claim_mark_duplicate"),
    path("claims/<int:pk>/duplicate/remove/", similar_views.claim_unmark_duplicate, name="claim_unmark_duplicate"),
    path("annotations/<int:pk>/", views.annotation_detail, name="annotation_detail"),
    path("annotations/<int:pk>/edit/", views.annotation_edit, name="annotation_edit"),
    path("annotations/<int:pk>/delete/", views.annotation_delete, name="annotation_delete"),
    path("queue/", queue_views.my_queue, name="my_queue"),
    path("queue/review/", queue_views.review_start, name="queue_review"),
    path("queue/review/<int:pk>/", queue_views.review_claim, name="queue_review_claim"),
    path("queue/review/<int:pk>/status/", queue_views.review_transition, name="queue_review_transition"),
    path("queue/seen/", queue_views.mark_all_seen, name="mark_all_seen"),
    # Sources and the reader.
    path("sources/", source_views.source_list, name="source_list"),
    path("sources/new/", source_views.source_add, name="source_add"),
    path("sources/<int:pk>/", source_views.source_detail, name="source_detail"),
    path("sources/<int:pk>/fetch/", source_views.source_fetch, name="source_fetch"),
    path("sources/<int:pk>/text/", source_views.source_text, name="source_text"),
    path("sources/<int:pk>/claims/new/", source_views.claim_capture, name="claim_capture"),
    path("claims/<int:pk>/place/", source_views.claim_place, name="claim_place"),
    path("sources/<int:pk>/suggestions/", source_views.source_suggest, name="source_suggest"),
    path("suggestions/<int:pk>/dismiss/", source_views.suggestion_dismiss, name="suggestion_dismiss"),
    # Web Annotation interchange.
    path("claims/<int:pk>/annotation.jsonld", interchange_views.claim_annotation, name="claim_annotation"),
    path("sources/<int:pk>/annotations.jsonld", interchange_views.source_annotations, name="source_annotations"),
    path("annotations.jsonld", interchange_views.annotations_export, name="annotations_export"),
    path("annotations/import/", interchange_views.annotations_import, name="annotations_import"),
]
