"""Create the role groups and the default rating scale."""

from django.db import migrations

# The common fact-check scale. `value` orders verdicts by truth (higher is truer);
# misleading sits with mostly false, and unverifiable is off the scale.
DEFAULT_RATINGS = [
    ("true", "True", 5, "Accurate, with nothing significant missing."),
    ("mostly-true", "Mostly true", 4, "Accurate, but needs clarification or additional information."),
    (
        "half-true",
        "Half true",
        3,
        "Partially accurate, but leaves out important details or takes things out of context.",
    ),
    (
        "mostly-false",
        "Mostly false",
        2,
        "Contains an element of truth but ignores facts that would give a different impression.",
    ),
    ("misleading", "Misleading", 2, "Accurate facts arranged to give a false impression."),
    ("false", "False", 1, "Not accurate."),
    ("unverifiable", "Unverifiable", None, "Cannot be proved or disproved with the evidence available."),
]


def create_roles(apps, schema_editor):
    from claims.roles import sync_role_groups

    sync_role_groups(apps)


def create_ratings(apps, schema_editor):
    Rating = apps.get_model("claims", "Rating")
    for position, (key, label, value, description) in enumerate(DEFAULT_RATINGS, start=1):
        Rating.objects.update_or_create(
            key=key, defaults={"label": label, "value": value, "position": position, "description": description}
        )


def remove_ratings(apps, schema_editor):
    apps.get_model("claims", "Rating").objects.filter(key__in=[key for key, *_ in DEFAULT_RATINGS]).delete()


def remove_roles(apps, schema_editor):
    from claims.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("claims", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_roles, remove_roles),
        migrations.RunPython(create_ratings, remove_ratings),
    ]
