"""Demo users for trying Claimdesk locally, and the guards that keep their shared
password out of any deployment that is not in DEBUG mode."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, ValidationError

from . import roles

DEMO_PASSWORD = "claimdesk-demo"

# username, role group, staff (admin site), superuser
DEMO_USERS = [
    ("viewer", roles.VIEWER, False, False),
    ("editor", roles.EDITOR, False, False),
    ("reviewer", roles.REVIEWER, True, False),
    ("admin", None, True, True),
]


def create_demo_users() -> list:
    """Create (or reset) one user per role, all with the demo password."""
    if not settings.DEBUG:
        raise ImproperlyConfigured("Demo users exist only with DEBUG on: their password is public.")
    User = get_user_model()
    users = []
    for username, role, is_staff, is_superuser in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = username.capitalize()
        user.last_name = "(demo)"
        user.email = f"{username}@claimdesk.invalid"
        user.is_staff = is_staff
        user.is_superuser = is_superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role)] if role else [])
        users.append(user)
    return users


class RefuseDemoPasswordBackend(ModelBackend):
    """Django's usual backend, except that the public demo password never logs
    anyone in unless DEBUG is on, whichever account carries it."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password == DEMO_PASSWORD and not settings.DEBUG:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class DemoPasswordValidator:
    """Refuses the demo password as anyone's real password outside DEBUG."""

    def validate(self, password, user=None):
        if password == DEMO_PASSWORD and not settings.DEBUG:
            raise ValidationError("This is the public demo password; choose your own.", code="demo_password")

    def get_help_text(self):
        return "Your password cannot be the public demo password."
