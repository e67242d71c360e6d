"""Settings come from the environment and are safe when nothing is set.

Each case starts a fresh Python process, because settings are read once per process."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST", ""),
    "OPTIONS": db.get("OPTIONS", {}),
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
}))
"""


def read_settings(**environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SECURE_COOKIES"}
    }
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result


def test_debug_is_off_and_a_secret_key_is_required_by_default():
    result = read_settings()
    assert result.returncode != 0
    assert "Set SECRET_KEY (or DEBUG=1 for local development)." in result.stderr


def test_production_like_settings():
    result = read_settings(SECRET_KEY="s3cret", ALLOWED_HOSTS="claims.example.org, desk.example.org")
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["claims.example.org", "desk.example.org"]
    assert values["SESSION_COOKIE_SECURE"] is True


def test_sqlite_by_default_with_wal_and_immediate_transactions():
    values = json.loads(read_settings(DEBUG="1").stdout)
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["NAME"].endswith("db.sqlite3")
    assert values["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in values["OPTIONS"]["init_command"]
    assert values["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]


def test_postgresql_from_database_url():
    values = json.loads(read_settings(DEBUG="1", DATABASE_URL="postgres://desk:pw@db.internal:5432/claimdesk").stdout)
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert (values["NAME"], values["HOST"]) == ("claimdesk", "db.internal")


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_malformed_flag_is_an_error_not_a_guess(value):
    result = read_settings(DEBUG=value)
    assert result.returncode != 0
    assert "DEBUG must be 1 or 0" in result.stderr
