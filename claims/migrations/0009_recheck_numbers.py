from django.db import migrations


def recheck_numbers(apps, schema_editor):
    """The arithmetic check again for the claims already there: it now reads shares written in words ("a quarter
    of", "one in five"), a total opened by "Of …" and changes between two values ("rose 15 percent to $30 billion
    from $26 billion"), so claims stored as having nothing to check may have one."""
    from claims import quantities

    Claim = apps.get_model("claims", "Claim")
    changed = []
    for claim in Claim.objects.only("pk", "quote", "numbers_check").iterator(chunk_size=2000):
        check = quantities.check_arithmetic(claim.quote)
        now = "" if check is None else "consistent" if check.consistent else "inconsistent"
        if now != claim.numbers_check:
            claim.numbers_check = now
            changed.append(claim)
    Claim.objects.bulk_update(changed, ["numbers_check"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ("claims", "0008_suggestions_in_background"),
    ]

    operations = [
        migrations.RunPython(recheck_numbers, migrations.RunPython.noop, elidable=True),
    ]
