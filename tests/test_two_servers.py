"""Two app servers, one desk: what a deployment behind a load balancer relies on.

Starts two real gunicorn processes (one worker each) on free ports against the test
database and one Redis cache, and proves that a session made on A works on B, a status
change made through A shows on B at once, a note added through B shows on A, and a cache
entry set under A's environment is read under B's.

Runs only on PostgreSQL (the servers must share the test database, which an in-memory
SQLite database cannot be) and only when Redis answers at 127.0.0.1:6379; it skips
otherwise. The servers read the committed data, so the test runs outside a transaction
(and puts back the migrations' data after).
"""

import uuid
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from benchmarks import harness, servers
from claims.models import Annotation, ClaimEvent, EventField

from .factories import PASSWORD, ClaimFactory, UserFactory

REDIS_URL = "redis://127.0.0.1:6379/1"


def skip_reason() -> str | None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "two app servers share a PostgreSQL database; this run uses another"
    if not harness.redis_answers(REDIS_URL):
        return "no Redis answers at 127.0.0.1:6379"
    return None


pytestmark = [
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def servers_database_url() -> str:
    """The test database (test_<name>), as the servers' DATABASE_URL."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{host}/{db['NAME']}"


@pytest.fixture
def pair(transactional_db, tmp_path):
    """Servers A and B, each one gunicorn worker, on the test database and one Redis cache."""
    env = harness.app_env(servers_database_url(), REDIS_URL=REDIS_URL, TASK_BACKEND="immediate")
    started = [
        servers.start_gunicorn(name, harness.free_port(), env, workers=1, log_dir=tmp_path) for name in ("A", "B")
    ]
    try:
        for server in started:
            servers.wait_until_ready(server, timeout=20)
        yield started
    finally:
        # Before the database is flushed: the servers must not hold it open.
        for server in started:
            servers.stop(server)


@pytest.fixture
def account():
    """An editor whose password the servers can check: they use PBKDF2, the suite a fast hasher."""
    user = UserFactory(username="twin", first_name="Tess", last_name="Twin", role="editor")
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
    return user


def test_two_servers_share_sessions_data_and_cache(pair, account):
    a, b = pair
    claim = ClaimFactory()

    # Logged in through A's login form; B takes the same cookies.
    on_a = servers.DeskSession(a.url)
    on_a.log_in(account.username, PASSWORD)
    on_b = servers.DeskSession(b.url, cookies=on_a.cookies)
    assert on_a.signed_in_as() == on_b.signed_in_as() == "Tess Twin"

    # A status change through A, based on the version A's page showed, is what B shows next,
    # down to the desk's counts per status, which B had cached.
    counts = on_b.page("/").status_counts()
    status, version = on_a.change_status(claim.pk)
    assert on_b.page("/").status_counts() == {
        **counts,
        "new": counts["new"] - 1,
        "researching": counts["researching"] + 1,
    }
    assert status == "researching"
    page_b = on_b.page(f"/claims/{claim.pk}/")
    assert page_b.statuses_shown()[0] == "researching"
    assert page_b.form(f"/claims/{claim.pk}/status/").value("based_on") == str(version)
    assert ClaimEvent.objects.filter(
        claim=claim, field=EventField.STATUS, new_value="researching", actor=account, version=version
    ).exists()

    # A note added through B is on A's page.
    body = f"Added on server B, {uuid.uuid4()}"
    note_id = on_b.add_note(claim.pk, body)
    page_a = on_a.page(f"/claims/{claim.pk}/")
    assert note_id in page_a.annotation_ids()
    assert body in page_a.html
    assert Annotation.objects.get(pk=note_id).body == body

    # One cache: an entry set under A's environment is read under B's.
    key, value = f"two-servers-{uuid.uuid4()}", uuid.uuid4().hex
    assert servers.cache_probe(a.env, key, value) == ("RedisCache", value)
    assert servers.cache_probe(b.env, key) == ("RedisCache", value)

    for session in (on_a, on_b):
        session.close()
