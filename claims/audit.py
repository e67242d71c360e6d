"""The audit trail: every saved or deleted row of the models that matter, kept
by django-simple-history with who, when, why and where the change came from.

The library records the user from the request (its middleware) or from
`instance._history_user`; this module adds the origin (desk, admin, import,
system), taken from the request's URL or set around a block of work with
`changes_from(origin)`.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.db import models
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record


class Origin(models.TextChoices):
    DESK = "desk", "Desk"
    ADMIN = "admin", "Admin"
    IMPORT = "import", "Import"
    SYSTEM = "system", "System"


_current_origin: contextvars.ContextVar[str] = contextvars.ContextVar("claimdesk_origin", default=Origin.SYSTEM)


@contextmanager
def changes_from(origin: str):
    """Record every change made inside the block as coming from `origin`."""
    token = _current_origin.set(origin)
    try:
        yield
    finally:
        _current_origin.reset(token)


def current_origin() -> str:
    return _current_origin.get()


class AuditFields(models.Model):
    """What every historical row keeps beside the library's who, when and why."""

    history_origin = models.CharField("origin", max_length=16, choices=Origin.choices, default=Origin.SYSTEM)

    class Meta:
        abstract = True


@receiver(pre_create_historical_record)
def _record_origin(sender, instance, history_instance, **kwargs):
    history_instance.history_origin = getattr(instance, "_history_origin", None) or current_origin()


def origin_middleware(get_response):
    """Marks changes made through the admin as such; everything else a person does is the desk."""

    def middleware(request):
        origin = Origin.ADMIN if request.path.startswith("/admin/") else Origin.DESK
        with changes_from(origin):
            return get_response(request)

    return middleware
