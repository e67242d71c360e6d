"""The project's settings as a deployment has them, with two changes for the benchmarks.

- Static files are served from the apps (as the test suite does) instead of the
  `collectstatic` manifest, so a benchmark never writes into the shared `staticfiles/`.
  Looking a name up in the manifest costs about the same as not doing so.
- A trivial view (`/__bench__/trivial/`, see benchmarks/urls.py) is the baseline every
  figure is divided by: the cost of Django's request cycle and middleware alone.

Everything else, REDIS_URL and DATABASE_URL included, comes from config.settings.
"""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
ROOT_URLCONF = "benchmarks.urls"
