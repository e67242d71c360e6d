"""Middleware of Claimdesk's own."""

from django.conf import settings
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect


def htmx_login_redirect(get_response):
    """When a session has expired, an htmx request must send the whole page to the
    login form, not swap the login page into the panel that asked."""

    def middleware(request):
        response = get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        ):
            return HttpResponseClientRedirect(response["Location"])
        return response

    return middleware
