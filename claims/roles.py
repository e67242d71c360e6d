"""Roles are Django groups with permissions; this table says what each may do.

Changing the table needs a new data migration that calls `sync_role_groups`, as
`0002_roles_and_ratings` does, so every database gets the same groups.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

VIEWER = "viewer"
EDITOR = "editor"
REVIEWER = "reviewer"

_MODELS = [
    "source",
    "claimant",
    "tag",
    "rating",
    "statusstyle",
    "claim",
    "correction",
    "evidence",
    "annotation",
    "claimevent",
]

_READ = [f"view_{model}" for model in _MODELS]
_WORK = [
    "change_claim_status",
    "set_claim_verdict",
    "assign_claim",
    "add_annotation",
    "change_annotation",  # own annotations only: see claims.permissions
    "delete_annotation",
    "add_evidence",
    # Finding claims in sources: add a source, correct its text, capture a claim from it.
    "add_source",
    "change_source",
    "add_claimant",
    "add_claim",
]
_CURATE = [
    "publish_claim",
    *(
        f"{action}_{model}"
        for model in ["source", "claimant", "tag", "claim", "evidence"]
        for action in ["add", "change", "delete"]
        if f"{action}_{model}" not in _WORK
    ),
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    VIEWER: _READ,
    EDITOR: _READ + _WORK,
    REVIEWER: _READ + _WORK + _CURATE,
}


def sync_role_groups(apps=global_apps) -> None:
    """Create the role groups and give each exactly the permissions of the table."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Django creates permissions after all migrations have run; create ours now.
    # It skips apps without a models module, which a migration's app stubs lack.
    claims_config = apps.get_app_config("claims")
    models_module = getattr(claims_config, "models_module", None)
    claims_config.models_module = models_module or True
    create_permissions(claims_config, apps=apps, verbosity=0)
    claims_config.models_module = models_module
    # An earlier migration runs with the models of its time: it grants what exists then,
    # and the migration that adds a model calls this again.
    possible = {
        codename
        for model in claims_config.get_models()
        for codename in [
            *(f"{action}_{model._meta.model_name}" for action in model._meta.default_permissions),
            *(codename for codename, _ in model._meta.permissions),
        ]
    }
    for role, codenames in ROLE_PERMISSIONS.items():
        codenames = [codename for codename in codenames if codename in possible]
        group, _ = Group.objects.get_or_create(name=role)
        permissions = list(Permission.objects.filter(content_type__app_label="claims", codename__in=codenames))
        missing = set(codenames) - {permission.codename for permission in permissions}
        if missing:
            raise LookupError(f"Role {role!r} names unknown permissions: {sorted(missing)}")
        group.permissions.set(permissions)


def claim_workers():
    """Active users who can be given claims to work: editors, reviewers, superusers."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    return (
        get_user_model()
        .objects.filter(Q(groups__name__in=[EDITOR, REVIEWER]) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )


def claim_reviewers():
    """Active users who may approve verdicts: reviewers and superusers."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    return (
        get_user_model()
        .objects.filter(Q(groups__name=REVIEWER) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )
