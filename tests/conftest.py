"""Fixtures shared by the suite: users in each role and clients logged in as them."""

import html

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from .factories import UserFactory


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file, as in production. Django's default, an
    in-memory database in shared-cache mode, cannot take a second writer: the live
    server's threads and the concurrency tests' threads failed with "database table
    is locked" where a file with WAL waits its turn."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "claimdesk.sqlite3")


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # PBKDF2 at Django's default work factor costs ~300 ms of CPU per hash here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    # Cached desk counts are keyed by the newest change; ids and times repeat across tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def static_files_without_collectstatic(settings):
    # Production serves hashed files from `collectstatic`; the suite serves them from the apps.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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


def shown(response) -> str:
    """The response's text with HTML entities decoded, as a reader would see it."""
    return html.unescape(response.content.decode())


def is_fragment(response) -> bool:
    return "<html" not in response.content.decode()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Lets fixtures see whether the test failed (the browser tests save a screenshot).
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
