"""What `make bench` and `make load` share: the benchmark databases, building their
dataset, and the environment the app runs in for them.

Each scale has its own database, so a quick run never replaces the full dataset:
scale 1 is `.bench/claimdesk.sqlite3` and PostgreSQL's `claimdesk_bench`; scale 0.02
is `.bench/claimdesk-s0.02.sqlite3` and `claimdesk_bench_s0_02`.
"""

import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / ".bench"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
# The PostgreSQL server (no database name) and the Redis cache the runs use.
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
# Signs the benchmark's sessions only; the app refuses to start without a key when DEBUG is off.
SECRET_KEY = "claimdesk-benchmark-only-not-a-secret"
DATABASES = ("sqlite", "postgres")


def scale_suffix(scale: float) -> str:
    return "" if scale == 1 else f"-s{scale:g}"


def database_url(kind: str, scale: float) -> str:
    suffix = scale_suffix(scale)
    if kind == "sqlite":
        return f"sqlite:///{BENCH_DIR / f'claimdesk{suffix}.sqlite3'}"
    if kind == "postgres":
        return f"{POSTGRES_SERVER}/claimdesk_bench{re.sub(r'[^0-9a-z]', '_', suffix)}"
    raise ValueError(f"Unknown database {kind!r}: sqlite or postgres.")


def app_env(database: str, **extra: str) -> dict[str, str]:
    """The environment the app runs in for a benchmark: a deployment's settings (DEBUG
    off, PBKDF2 passwords, no query logging) on the benchmark database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": database,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", SECRET_KEY),
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "SECURE_COOKIES": "0",  # plain HTTP on 127.0.0.1
        "WHITENOISE_USE_FINDERS": "1",
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        # WhiteNoise warns that there is no collectstatic output: expected, see benchmarks/settings.py.
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
    }
    env.update(extra)
    return env


def run(command: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    print(f"$ {shlex.join(command)}", flush=True)
    return subprocess.run(command, env=env, cwd=ROOT, check=True, **kwargs)


def manage(*args: str, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return run([PYTHON, "manage.py", *args], env, **kwargs)


def ensure_database(kind: str, url: str) -> None:
    """Create the benchmark database if it is absent (SQLite: its folder)."""
    if kind == "sqlite":
        BENCH_DIR.mkdir(exist_ok=True)
        return
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"Creating the PostgreSQL database {name}.", flush=True)
            connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(kind: str, url: str) -> None:
    if kind == "sqlite":
        path = Path(urlsplit(url).path)
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def ensure_dataset(kind: str, scale: float, *, force: bool = False) -> str:
    """The benchmark database of this kind and scale, migrated and holding the dataset
    (built if missing: `generate_dataset --if-missing`, which takes a while at full scale;
    `force` rebuilds it: `--reset`)."""
    url = database_url(kind, scale)
    ensure_database(kind, url)
    env = app_env(url)
    manage("migrate", "--noinput", env=env, stdout=subprocess.DEVNULL)
    started = time.monotonic()
    # --force: it runs with DEBUG off, as everything here does, on a database of its own.
    manage("generate_dataset", "--force", "--reset" if force else "--if-missing", "--scale", f"{scale:g}", env=env)
    maintain(kind, url)
    print(f"Dataset ready on {kind} ({time.monotonic() - started:.0f} s).", flush=True)
    return url


def maintain(kind: str, url: str) -> None:
    """What a kept database has had before it is measured: fresh planner statistics and, on
    PostgreSQL, dead rows vacuumed (a migration that rewrote every claim leaves 100,000 behind;
    autovacuum does this in production, and it is off on some machines here)."""
    if kind == "sqlite":
        import sqlite3

        with sqlite3.connect(urlsplit(url).path) as connection:
            connection.execute("ANALYZE")
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


def dataset_password() -> str:
    """The password every generated account shares: BENCH_PASSWORD if set, else generate_dataset's."""
    if os.environ.get("BENCH_PASSWORD"):
        return os.environ["BENCH_PASSWORD"]
    from claims import dataset

    return dataset.DATASET_PASSWORD


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers(url: str = REDIS_URL) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping())
    except Exception:  # any failure to connect means no Redis to test against
        return False
