"""The server's side of offline copies on a shared phone: the officer's form says whose copy it is (the service
worker keeps it for that officer only), and a page left open by another user of the browser cannot save into the
session of whoever signed in since (X-Offline-Key)."""

import pytest
from django.urls import reverse

from accounts.offline import offline_key
from assessments import services
from assessments.models import Evidence, Result
from tests import factories
from tests.assessments import files


def criterion(a, number):
    return a.results.select_related("criterion").get(criterion__number=number)


def save(client, draft, number, note, **headers):
    return client.post(reverse("assessments:criterion_save", args=[draft.pk]),
                       {"version": draft.version, "criterion": criterion(draft, number).criterion_id,
                        "self_result": Result.MET, "note": note}, headers=headers)


def test_the_officer_form_is_marked_as_that_officers_copy(client, officer_user, reviewer_user, draft):
    client.force_login(officer_user)
    response = client.get(reverse("assessments:assessment_detail", args=[draft.pk]))
    assert response["X-Offline-Key"] == offline_key(officer_user)
    assert 'type="module"' in response.content.decode()
    # Read-only pages are not kept offline.
    client.force_login(reviewer_user)
    assert "X-Offline-Key" not in client.get(reverse("assessments:assessment_detail", args=[draft.pk]))


def test_a_submitted_assessment_is_no_longer_kept(client, officer_user, submitted):
    client.force_login(officer_user)
    assert "X-Offline-Key" not in client.get(reverse("assessments:assessment_detail", args=[submitted.pk]))


def test_autosave_from_a_page_of_another_user_is_refused_and_changes_nothing(client, officer_user, draft, unit):
    colleague = factories.officer(unit)
    client.force_login(colleague)
    response = save(client, draft, 2, "Bản nháp của người trước", **{"X-Offline-Key": offline_key(officer_user)})
    assert response.status_code == 403 and response.json()["other_user"] is True
    draft.refresh_from_db()
    assert draft.version == 1 and criterion(draft, 2).note == ""


@pytest.mark.parametrize("sent", ["own", None])
def test_autosave_with_the_own_key_or_none_saves(client, officer_user, draft, sent):
    client.force_login(officer_user)
    headers = {"X-Offline-Key": offline_key(officer_user)} if sent else {}
    assert save(client, draft, 3, "Đã lưu", **headers).status_code == 200
    assert criterion(draft, 3).note == "Đã lưu"


def test_files_from_a_page_of_another_user_are_refused(client, officer_user, draft, unit):
    kept = services.evidence_add(result=criterion(draft, 1), actor=officer_user, upload=files.upload("giữ.pdf", files.PDF))
    client.force_login(factories.officer(unit))
    stale = {"X-Offline-Key": offline_key(officer_user), "Accept": "application/json"}
    upload = client.post(reverse("assessments:evidence_upload", args=[draft.pk, criterion(draft, 2).criterion_id]),
                         {"file": files.upload("mới.pdf", files.PDF)}, headers=stale)
    delete = client.post(reverse("assessments:evidence_delete", args=[kept.pk]), headers=stale)
    assert upload.status_code == 403 and delete.status_code == 403
    assert list(Evidence.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_service_worker_is_served_for_its_scope_and_never_cached_long(client, officer_user):
    client.force_login(officer_user)
    response = client.get(reverse("assessments:service_worker"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
