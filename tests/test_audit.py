"""The audit trail: every way a claim changes (the desk, the admin's change form, list
edits and bulk actions, imports, deletes) leaves audit rows naming who, from where and
what changed, which the admin's History page shows; and an admin edit made on a copy
of a claim someone has changed since is refused, changing nothing."""

import re

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimEvent, EventField, Evidence, Origin, Source
from claims.resources import ClaimResource, SourceResource
from claims.workflow import Status

from .conftest import shown
from .factories import ClaimFactory, EvidenceFactory, SourceFactory
from .test_admin import CHANGELIST, OBJECTS, change_url, changelist_data, claim_form_data, messages_of, run_action
from .test_import_export import admin_import, export, load, read, with_row


def latest_audit(record):
    return record.history.order_by("-history_id").first()


def audit_changes(row) -> dict:
    """{field: (old, new)} between an audit row and the one before it."""
    return {change.field: (change.old, change.new) for change in row.diff_against(row.prev_record).changes}


def audited_as(row) -> tuple:
    return (row.history_user, row.history_origin, row.history_type)


@pytest.mark.django_db
class TestEveryChangePathIsAudited:
    def test_desk(self, editor, editor_client):
        claim = ClaimFactory()
        data = {"target": Status.RESEARCHING, "note": "", "based_on": claim.version}
        assert editor_client.post(reverse("claims:claim_transition", args=[claim.pk]), data).status_code == 302
        row = latest_audit(claim)
        assert audited_as(row) == (editor, Origin.DESK, "~")
        assert audit_changes(row)["status"] == (Status.NEW, Status.RESEARCHING)

    def test_admin_change_form(self, reviewer, reviewer_client):
        claim = ClaimFactory(summary="Exports doubled")
        response = reviewer_client.post(change_url(claim), claim_form_data(claim, summary="Exports rose"))
        assert response.status_code == 302
        row = latest_audit(claim)
        assert audited_as(row) == (reviewer, Origin.ADMIN, "~")
        assert audit_changes(row)["summary"] == ("Exports doubled", "Exports rose")

    def test_admin_inline_evidence(self, reviewer, reviewer_client):
        claim = ClaimFactory()
        data = claim_form_data(claim)
        data.update(
            {
                "evidence-TOTAL_FORMS": 1,
                "evidence-0-stance": "supports",
                "evidence-0-url": "https://stats.example.org/exports",
                "evidence-0-excerpt": "Table 4",
            }
        )
        assert reviewer_client.post(change_url(claim), data).status_code == 302
        row = Evidence.history.get()
        assert audited_as(row) == (reviewer, Origin.ADMIN, "+")
        assert (row.claim_id, row.excerpt, row.added_by) == (claim.pk, "Table 4", reviewer)

    def test_admin_list_edit(self, reviewer, reviewer_client, editor):
        claim = ClaimFactory()
        page = reviewer_client.get(CHANGELIST)
        reviewer_client.post(CHANGELIST, changelist_data(page, {claim.pk: {"assignee": editor.pk}}))
        row = latest_audit(claim)
        assert audited_as(row) == (reviewer, Origin.ADMIN, "~")
        assert audit_changes(row)["assignee"] == (None, editor.pk)

    def test_bulk_action(self, reviewer, reviewer_client):
        claims = [ClaimFactory(), ClaimFactory()]
        run_action(reviewer_client, "set_status", claims, status=Status.RESEARCHING, note="Worth a look.")
        for claim in claims:
            event = claim.events.get()
            assert (event.field, event.new_value, event.actor, event.origin) == (
                EventField.STATUS,
                Status.RESEARCHING,
                reviewer,
                Origin.ADMIN,
            )
            row = latest_audit(claim)
            assert audited_as(row) == (reviewer, Origin.ADMIN, "~")
            assert audit_changes(row)["status"] == (Status.NEW, Status.RESEARCHING)

    def test_import_outside_a_request(self, reviewer):
        claim = ClaimFactory(summary="Exports doubled")
        dataset = with_row(read("csv", export(ClaimResource, "csv")), 1, summary="Exports rose")
        load(ClaimResource, dataset, reviewer)
        row = latest_audit(claim)
        assert audited_as(row) == (reviewer, Origin.IMPORT, "~")
        assert audit_changes(row)["summary"] == ("Exports doubled", "Exports rose")
        assert claim.events.get().origin == Origin.IMPORT

    def test_import_in_the_admin_is_an_import_not_an_admin_edit(self, reviewer, reviewer_client):
        ClaimFactory()
        files = [("source", export(SourceResource, "csv")), ("claim", export(ClaimResource, "csv"))]
        Claim.objects.all().delete()
        Source.objects.all().delete()
        for model, data in files:
            preview = admin_import(reviewer_client, model, "csv", data)
            reviewer_client.post(
                reverse(f"admin:claims_{model}_process_import"), preview.context["confirm_form"].initial
            )
        claim = Claim.objects.get()
        for record in (claim, claim.source):
            assert audited_as(latest_audit(record)) == (reviewer, Origin.IMPORT, "+")

    def test_admin_delete(self, reviewer, reviewer_client):
        claim = ClaimFactory(summary="Exports doubled")
        EvidenceFactory(claim=claim)
        response = reviewer_client.post(reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"})
        assert response.status_code == 302
        assert not Claim.objects.exists()
        deleted = Claim.history.get(history_type="-")
        assert (deleted.id, deleted.summary) == (claim.pk, "Exports doubled")
        assert audited_as(deleted) == (reviewer, Origin.ADMIN, "-")
        assert audited_as(Evidence.history.get(history_type="-")) == (reviewer, Origin.ADMIN, "-")

    def test_admin_bulk_delete(self, reviewer, reviewer_client):
        sources = [SourceFactory(), SourceFactory()]
        url = reverse("admin:claims_source_changelist")
        selected = {"action": "delete_selected", "_selected_action": [source.pk for source in sources]}
        assert reviewer_client.post(url, {**selected, "post": "yes"}).status_code == 302
        assert not Source.objects.exists()
        rows = Source.history.filter(history_type="-")
        assert sorted(row.id for row in rows) == sorted(source.pk for source in sources)
        assert {audited_as(row) for row in rows} == {(reviewer, Origin.ADMIN, "-")}


def collapsed(response) -> str:
    return re.sub(r"\s+", " ", shown(response))


@pytest.mark.django_db
class TestHistoryPage:
    def test_a_claims_history_shows_who_where_and_what_changed(self, editor, editor_client, reviewer_client):
        claim = ClaimFactory(summary="Exports doubled")
        editor_client.post(
            reverse("claims:claim_transition", args=[claim.pk]),
            {"target": Status.RESEARCHING, "note": "", "based_on": claim.version},
        )
        claim.refresh_from_db()
        reviewer_client.post(change_url(claim), claim_form_data(claim, summary="Exports rose"))

        page = reviewer_client.get(reverse("admin:claims_claim_history", args=[claim.pk]))

        assert page.status_code == 200
        text = collapsed(page)
        assert '<th scope="col">origin</th>' in text
        [body] = re.findall(r'<table id="change-history".*?<tbody>(.*?)</tbody>', page.content.decode(), re.S)
        rows = [re.sub(r"\s+", " ", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
        assert len(rows) == 3  # created, moved on the desk, edited in the admin
        assert "rita" in rows[0] and "<td>Admin</td>" in rows[0]
        assert "<strong>Summary:</strong> Exports doubled &nbsp;&rarr;&nbsp;&nbsp;Exports rose" in rows[0]
        assert "eddie" in rows[1] and "<td>Desk</td>" in rows[1]
        assert "<strong>Status:</strong> new &nbsp;&rarr;&nbsp;&nbsp;researching" in rows[1]
        assert "<td>System</td>" in rows[2] and "<td>Created</td>" in rows[2]
        assert "Revert" not in text

    def test_a_deleted_records_history_stays_readable(self, reviewer_client):
        source = SourceFactory(title="Budget speech")
        reviewer_client.post(reverse("admin:claims_source_delete", args=[source.pk]), {"post": "yes"})
        page = reviewer_client.get(reverse("admin:claims_source_history", args=[source.pk]))
        assert page.status_code == 200
        assert "Deleted" in shown(page) and "rita" in shown(page)

    @pytest.mark.parametrize(
        "model", ["source", "claimant", "tag", "rating", "statusstyle", "correction", "evidence", "annotation"]
    )
    def test_every_audited_model_has_one(self, reviewer_client, model):
        obj = OBJECTS[model]()
        page = reviewer_client.get(reverse(f"admin:claims_{model}_history", args=[obj.pk]))
        assert page.status_code == 200
        assert "simple_history/object_history.html" in [template.name for template in page.templates]


@pytest.mark.django_db
class TestStaleAdminEdits:
    def test_a_change_form_opened_before_someone_elses_change_saves_nothing(self, reviewer, reviewer_client, editor):
        claim = ClaimFactory(summary="Exports doubled")
        opened = claim_form_data(claim, summary="Exports rose", assignee=reviewer.pk)  # the form as first loaded
        claim.transition(Status.RESEARCHING, by=editor)  # meanwhile, on the desk
        audit_rows = Claim.history.count()
        before = Claim.objects.values().get(pk=claim.pk)

        response = reviewer_client.post(change_url(claim), opened)

        assert response.status_code == 200
        form = response.context["adminform"].form
        [error] = form.non_field_errors()
        assert error.startswith(
            "This claim was changed after you opened it, so nothing was saved: "
            "eddie changed the status from New to Researching ("
        )
        assert "This claim was changed after you opened it" in shown(response)
        assert (form["summary"].value(), form["assignee"].value()) == ("Exports rose", str(reviewer.pk))
        assert Claim.objects.values().get(pk=claim.pk) == before
        assert Claim.history.count() == audit_rows
        assert list(claim.events.values_list("actor", flat=True)) == [editor.pk]

    def test_a_list_edit_of_a_claim_changed_since_the_page_loaded_is_refused(self, reviewer, reviewer_client, editor):
        stale = ClaimFactory(summary="Exports doubled")
        fresh = ClaimFactory()
        page = reviewer_client.get(CHANGELIST)
        stale.transition(Status.RESEARCHING, by=editor)  # meanwhile, on the desk
        before = Claim.objects.values().get(pk=stale.pk)

        response = reviewer_client.post(
            CHANGELIST,
            changelist_data(page, {stale.pk: {"assignee": reviewer.pk}, fresh.pk: {"assignee": reviewer.pk}}),
        )

        assert response.status_code == 302
        [refused] = [note for note in messages_of(response) if note.startswith("Claim #")]
        assert refused.startswith(
            f"Claim #{stale.pk} “Exports doubled” was not changed: since this page was loaded, "
            "eddie changed the status from New to Researching ("
        )
        assert Claim.objects.values().get(pk=stale.pk) == before
        assert list(stale.events.values_list("actor", flat=True)) == [editor.pk]
        fresh.refresh_from_db()
        assert fresh.assignee == reviewer
        assert "1 claim was changed successfully." in messages_of(response)

    def test_a_row_someone_else_changed_is_not_undone_by_saving_other_rows(self, reviewer_client, editor):
        changed_meanwhile = ClaimFactory()
        edited = ClaimFactory()
        page = reviewer_client.get(CHANGELIST)
        changed_meanwhile.transition(Status.RESEARCHING, by=editor)
        response = reviewer_client.post(CHANGELIST, changelist_data(page, {edited.pk: {"status": Status.RESEARCHING}}))
        assert response.status_code == 302
        assert not [note for note in messages_of(response) if note.startswith("Claim #")]
        changed_meanwhile.refresh_from_db()
        edited.refresh_from_db()
        assert (changed_meanwhile.status, edited.status) == (Status.RESEARCHING, Status.RESEARCHING)

    def test_an_edit_made_in_another_tab_is_not_undone_either(self, reviewer, reviewer_client):
        claim = ClaimFactory(summary="Exports doubled")
        opened = claim_form_data(claim, summary="Exports rose")
        claim.assign(reviewer, by=reviewer)  # the same reviewer, in another tab
        response = reviewer_client.post(change_url(claim), opened)
        assert response.status_code == 200
        assert "rita changed the assignee from — to rita" in response.context["adminform"].form.non_field_errors()[0]
        claim.refresh_from_db()
        assert (claim.summary, claim.assignee) == ("Exports doubled", reviewer)

    def test_a_refused_change_leaves_no_audit_row(self, reviewer_client):
        claim = ClaimFactory()
        rows = Claim.history.count()
        response = reviewer_client.post(change_url(claim), claim_form_data(claim, status=Status.PUBLISHED))
        assert response.status_code == 200
        assert Claim.history.count() == rows
        assert not ClaimEvent.objects.exists()
