"""Values every page's templates may use."""

from django.utils.functional import SimpleLazyObject

from .models import StatusStyle


def status_labels(request):
    """The statuses' names as the newsroom set them, read once per request and only if shown."""
    return {"status_labels": SimpleLazyObject(StatusStyle.objects.labels)}
