"""Criterion-by-criterion entry: the autosave endpoint, one-by-one evidence uploads, async deletes, and
the error summary at the top of the officer's page."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Evidence, Result, Status
from tests import factories
from tests.assessments import files


def save_url(a):
    return reverse("assessments:criterion_save", args=[a.pk])


def upload_url(a, result):
    return reverse("assessments:evidence_upload", args=[a.pk, result.criterion_id])


def criterion(a, number):
    return a.results.select_related("criterion").get(criterion__number=number)


# ---------------------------------------------------------------- the service


def test_save_criterion_saves_one_answer_and_bumps_the_version(draft, officer_user):
    third = criterion(draft, 3)
    version = services.assessment_save_criterion(
        assessment=draft, actor=officer_user, version=draft.version, criterion_id=third.criterion_id,
        self_result=Result.MET, note="  Có camera ở 5 thôn  ")
    draft.refresh_from_db()
    third.refresh_from_db()
    assert version == draft.version == 2
    assert (third.self_result, third.note) == (Result.MET, "Có camera ở 5 thôn")
    assert draft.self_met_count == 1
    assert draft.results.exclude(pk=third.pk).filter(self_result=Result.NOT_YET).count() == 15


def test_save_criterion_refuses_a_stale_version_and_changes_nothing(draft, officer_user):
    first = criterion(draft, 1)
    services.assessment_save_criterion(assessment=draft, actor=officer_user, version=1,
                                       criterion_id=first.criterion_id, self_result=Result.MET, note="một")
    with pytest.raises(services.StaleAssessmentError):
        services.assessment_save_criterion(assessment=draft, actor=officer_user, version=1,
                                           criterion_id=first.criterion_id, self_result=Result.NOT_MET, note="hai")
    first.refresh_from_db()
    assert (first.self_result, first.note) == (Result.MET, "một")


def test_save_criterion_refuses_a_submitted_assessment_and_a_foreign_criterion(submitted, officer_user, draft):
    with pytest.raises(services.DomainError, match="không thể sửa"):
        services.assessment_save_criterion(assessment=submitted, actor=officer_user, version=submitted.version,
                                           criterion_id=criterion(submitted, 1).criterion_id,
                                           self_result=Result.NOT_MET, note="")
    other_set = factories.CriteriaSetFactory()
    with pytest.raises(services.DomainError, match="không thuộc bộ tiêu chí"):
        services.assessment_save_criterion(assessment=submitted, actor=officer_user, version=submitted.version,
                                           criterion_id=other_set.criteria.first().pk, self_result=Result.MET,
                                           note="")


def test_save_criterion_refuses_another_units_officer(draft, other_unit):
    with pytest.raises(services.DomainError):
        services.assessment_save_criterion(assessment=draft, actor=factories.officer(other_unit),
                                           version=draft.version, criterion_id=criterion(draft, 1).criterion_id,
                                           self_result=Result.MET, note="")
    assert criterion(draft, 1).self_result == Result.NOT_YET


# ---------------------------------------------------------------- the autosave endpoint


def test_autosave_saves_one_criterion_and_answers_json(client, officer_user, draft):
    client.force_login(officer_user)
    second = criterion(draft, 2)
    response = client.post(save_url(draft), {"version": draft.version, "criterion": second.criterion_id,
                                              "self_result": "not_met", "note": "Thiếu loa ở 2 thôn"})
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 2 and body["answered"] == 1 and body["total"] == 16
    assert body["saved"]["note"] == "Thiếu loa ở 2 thôn" and len(body["saved_at"]) == 5
    second.refresh_from_db()
    assert (second.self_result, second.note) == (Result.NOT_MET, "Thiếu loa ở 2 thôn")
    # The whole form, posted with the version the page now carries, still works.
    draft.refresh_from_db()
    assert draft.version == 2


def test_autosave_conflict_is_409_with_both_values_and_changes_nothing(client, officer_user, draft, unit):
    colleague = factories.officer(unit)
    first = criterion(draft, 1)
    services.assessment_save_criterion(assessment=draft, actor=colleague, version=1,
                                       criterion_id=first.criterion_id, self_result=Result.MET, note="Bản của đồng nghiệp")
    client.force_login(officer_user)
    response = client.post(save_url(draft), {"version": 1, "criterion": first.criterion_id,
                                              "self_result": "not_met", "note": "Bản của tôi"})
    assert response.status_code == 409
    body = response.json()
    assert body["conflict"] is True and body["version"] == 2
    assert body["server"]["note"] == "Bản của đồng nghiệp" and body["server"]["self_result"] == "met"
    assert body["yours"] == {"self_result": "not_met", "note": "Bản của tôi", "self_result_label": "Chưa đạt"}
    assert len(body["results"]) == 16
    first.refresh_from_db()
    assert first.note == "Bản của đồng nghiệp"
    # Keeping mine is a second save on the version the 409 gave.
    response = client.post(save_url(draft), {"version": body["version"], "criterion": first.criterion_id,
                                              "self_result": "not_met", "note": "Bản của tôi"})
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.note == "Bản của tôi"


def test_autosave_refuses_a_verified_assessment(client, officer_user, verified):
    client.force_login(officer_user)
    first = criterion(verified, 1)
    response = client.post(save_url(verified), {"version": verified.version, "criterion": first.criterion_id,
                                                 "self_result": "not_met", "note": "sửa sau thẩm định"})
    assert response.status_code == 400 and "không thể sửa" in response.json()["error"]
    first.refresh_from_db()
    assert (first.self_result, first.note) == (Result.MET, "")


def test_autosave_of_another_commune_is_404(client, draft, other_unit):
    client.force_login(factories.officer(other_unit))
    first = criterion(draft, 1)
    response = client.post(save_url(draft), {"version": draft.version, "criterion": first.criterion_id,
                                              "self_result": "met", "note": "x"})
    assert response.status_code == 404
    first.refresh_from_db()
    assert first.self_result == Result.NOT_YET


@pytest.mark.parametrize("data", [
    {"version": "abc", "self_result": "met"},
    {"self_result": "maybe"},
    {"note": "x" * 5001},
    {"criterion": "999999"},
    {"criterion": ""},
])
def test_autosave_bad_input_changes_nothing(client, officer_user, draft, data):
    client.force_login(officer_user)
    post = {"version": draft.version, "criterion": criterion(draft, 1).criterion_id, "self_result": "met", "note": ""}
    post.update(data)
    response = client.post(save_url(draft), post)
    assert response.status_code == 400 and response.json()["error"]
    draft.refresh_from_db()
    assert draft.version == 1 and not draft.results.exclude(self_result=Result.NOT_YET).exists()


def test_autosave_needs_a_post_and_a_login(client, officer_user, draft):
    assert client.post(save_url(draft), {}).status_code == 302
    client.force_login(officer_user)
    assert client.get(save_url(draft)).status_code == 405


# ---------------------------------------------------------------- evidence one by one


def test_upload_one_file_answers_json_and_attaches_it(client, officer_user, draft):
    client.force_login(officer_user)
    fourth = criterion(draft, 4)
    response = client.post(upload_url(draft, fourth), {"file": files.upload("hòm thư zalo.png", files.PNG)})
    assert response.status_code == 201
    body = response.json()
    evidence = Evidence.objects.get()
    assert evidence.result == fourth and evidence.original_name == "hòm thư zalo.png"
    assert body["id"] == evidence.pk and body["name"] == "hòm thư zalo.png"
    assert body["download_url"] == reverse("assessments:evidence_download", args=[evidence.pk])
    assert body["delete_url"] == reverse("assessments:evidence_delete", args=[evidence.pk])


@pytest.mark.parametrize("name,content", [("virus.exe", b"MZ\x90\x00"), ("giả.pdf", files.PNG), ("trống.pdf", b"")])
def test_upload_bad_file_is_a_json_error_and_saves_nothing(client, officer_user, draft, name, content):
    client.force_login(officer_user)
    response = client.post(upload_url(draft, criterion(draft, 1)), {"file": files.upload(name, content)})
    assert response.status_code == 400 and response.json()["error"]
    assert not Evidence.objects.exists()


def test_upload_too_large_names_the_limit(client, officer_user, draft, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    client.force_login(officer_user)
    response = client.post(upload_url(draft, criterion(draft, 1)), {"file": files.upload("lớn.pdf", files.PDF)})
    assert response.status_code == 400 and "quá lớn" in response.json()["error"]
    assert not Evidence.objects.exists()


def test_upload_scope_and_status(client, officer_user, draft, verified, other_unit):
    client.force_login(factories.officer(other_unit))
    assert client.post(upload_url(draft, criterion(draft, 1)),
                       {"file": files.upload("a.pdf", files.PDF)}).status_code == 404
    client.force_login(officer_user)
    response = client.post(upload_url(verified, criterion(verified, 1)), {"file": files.upload("a.pdf", files.PDF)})
    assert response.status_code == 400 and "không thể sửa" in response.json()["error"]
    assert client.post(reverse("assessments:evidence_upload", args=[draft.pk, 999999]),
                       {"file": files.upload("a.pdf", files.PDF)}).status_code == 404
    assert not Evidence.objects.exists()


def test_async_delete_answers_json_and_touches_nothing_else(client, officer_user, draft):
    first, second = criterion(draft, 1), criterion(draft, 2)
    keep = services.evidence_add(result=second, actor=officer_user, upload=files.upload("giữ.pdf", files.PDF))
    gone = services.evidence_add(result=first, actor=officer_user, upload=files.upload("xóa.pdf", files.PDF))
    client.force_login(officer_user)
    response = client.post(reverse("assessments:evidence_delete", args=[gone.pk]), HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["deleted"] == gone.pk
    assert list(Evidence.objects.values_list("pk", flat=True)) == [keep.pk]
    draft.refresh_from_db()
    assert draft.version == 1


def test_async_delete_on_a_submitted_assessment_is_refused(client, officer_user, draft):
    ev = services.evidence_add(result=criterion(draft, 1), actor=officer_user, upload=files.upload("a.pdf", files.PDF))
    draft.results.update(self_result=Result.MET)
    services.assessment_submit(assessment=draft, actor=officer_user, version=draft.version)
    client.force_login(officer_user)
    response = client.post(reverse("assessments:evidence_delete", args=[ev.pk]), HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and response.json()["error"]
    assert Evidence.objects.filter(pk=ev.pk).exists()


# ---------------------------------------------------------------- the page


def test_page_carries_the_autosave_config_and_upload_urls(client, officer_user, draft):
    client.force_login(officer_user)
    page = client.get(reverse("assessments:assessment_detail", args=[draft.pk])).content.decode()
    assert 'id="autosave-config"' in page and save_url(draft) in page
    assert upload_url(draft, criterion(draft, 16)) in page
    assert page.count("data-save-state") == 16


def test_failed_submit_lists_each_criterion_in_error_at_the_top(client, officer_user, draft):
    client.force_login(officer_user)
    data = {"version": draft.version, "action": "submit"}
    for r in draft.results.select_related("criterion"):
        data[f"c{r.criterion_id}_result"] = Result.NOT_YET if r.criterion.number in (2, 7) else Result.MET
        data[f"c{r.criterion_id}_note"] = ""
    bad = criterion(draft, 9)
    data[f"c{bad.criterion_id}_files"] = [files.upload("virus.exe", b"MZ\x90\x00")]
    response = client.post(reverse("assessments:assessment_detail", args=[draft.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    summary = page[page.index('id="error-summary"'):page.index('id="autosave-config"')]
    for number in (2, 7, 9):
        assert f'href="#criterion-{number}"' in summary
    assert 'href="#criterion-3"' not in summary
    assert "Chưa đánh giá tiêu chí này." in summary and "virus.exe" in summary
    # The counter counts what is saved (nothing yet), not what was ticked.
    assert "Đã đánh giá 0/16 tiêu chí" in page
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.version == 1
