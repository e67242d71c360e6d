"""The admin: where reviewers correct records, change claims in bulk, and import and export.

A claim's status, verdict, assignee and tags change here only through the domain
methods, with origin "admin": on the change form, in the changelist's editable
columns and in the bulk actions alike. So each change is checked against the
workflow for the user making it and lands in the claim's history, as on the desk.
"""

from . import claims, records, sources  # noqa: F401  (each registers its admins)
