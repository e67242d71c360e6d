"""Work done in the background by `python manage.py db_worker`."""

from django_tasks import task

from . import ingest


@task()
def fetch_source(source_id: int) -> str:
    """Fetch a source added by its address and extract its article text."""
    return ingest.fetch_into(source_id)
