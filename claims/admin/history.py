"""The audit trail in the admin: each audited record's History page lists its saved
and deleted versions with who, when, from where (origin) and why, and what changed."""

from django.contrib import admin
from django.http import HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin


class AuditedAdmin(SimpleHistoryAdmin):
    """An admin whose History page is the record's audit trail, read-only."""

    history_list_display = ["origin"]

    @admin.display(description="origin")
    def origin(self, record):
        return record.get_history_origin_display()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # An old version is shown, never saved back (SIMPLE_HISTORY_REVERT_DISABLED only
        # hides the button): a revert would skip the workflow's rules and the timeline.
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_form_view(request, object_id, version_id, extra_context)
