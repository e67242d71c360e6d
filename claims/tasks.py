"""Work done in the background by `python manage.py db_worker`."""

from django_tasks import task

from . import ingest, suggesting


@task()
def fetch_source(source_id: int) -> str:
    """Fetch a source added by its address and extract its article text."""
    return ingest.fetch_into(source_id)


@task()
def suggest_sentences(source_id: int) -> int:
    """Find the sentences worth checking in a source too long to read during the request."""
    return suggesting.suggest_in_background(source_id)
