"""The project's URLs plus one trivial view, the baseline of the benchmarks' figures."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

TRIVIAL_PATH = "/__bench__/trivial/"


@login_not_required
@require_GET
def trivial(request):
    """Nothing but Django's request cycle: middleware, URL resolving, a response."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path(TRIVIAL_PATH.strip("/") + "/", trivial, name="bench_trivial"),
    path("", include("config.urls")),
]
