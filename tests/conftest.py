"""Fixtures shared by the suite: users in each role and clients logged in as them."""

import pytest
from django.test import Client

from .factories import UserFactory


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # PBKDF2 at Django's default work factor costs ~300 ms of CPU per hash here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def viewer(db):
    return UserFactory(username="vera", role="viewer")


@pytest.fixture
def editor(db):
    return UserFactory(username="eddie", role="editor")


@pytest.fixture
def other_editor(db):
    return UserFactory(username="edna", role="editor")


@pytest.fixture
def reviewer(db):
    return UserFactory(username="rita", role="reviewer")


@pytest.fixture
def superuser(db):
    return UserFactory(username="ada", is_staff=True, is_superuser=True)


def logged_in_client(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def viewer_client(viewer):
    return logged_in_client(viewer)


@pytest.fixture
def editor_client(editor):
    return logged_in_client(editor)


@pytest.fixture
def reviewer_client(reviewer):
    return logged_in_client(reviewer)


@pytest.fixture
def superuser_client(superuser):
    return logged_in_client(superuser)


HTMX = {"HTTP_HX_REQUEST": "true"}
