"""Start from last year: an untouched draft prefilled from the same unit's and programme's previous year,
marked until the officer confirms or changes each criterion; files are not copied."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Evidence, Result
from tests import factories
from tests.conftest import record


@pytest.fixture
def last_year(unit, criteria_set, officer_user):
    previous = record(unit, 2024, 12)  # verified: criteria 1..12 met
    first = previous.results.get(criterion__number=1)
    first.note = "Chi bộ họp hằng tháng (2024)"
    first.save()
    Evidence.objects.create(result=first, file="evidence/2024/x", original_name="cu.pdf", content_type="application/pdf",
                            size=10, uploaded_by=officer_user)
    return previous


def test_prefill_copies_results_and_notes_and_marks_them(draft, last_year, officer_user):
    assert services.can_prefill_from_previous_year(draft)
    filled = services.assessment_prefill_from_previous_year(assessment=draft, actor=officer_user, version=1)
    draft.refresh_from_db()
    assert filled == 16 and draft.version == 2 and draft.self_met_count == 12
    first = draft.results.get(criterion__number=1)
    assert (first.self_result, first.note, first.from_previous_year) == (
        Result.MET, "Chi bộ họp hằng tháng (2024)", True)
    assert draft.results.get(criterion__number=16).self_result == Result.NOT_MET
    assert draft.results.filter(from_previous_year=True).count() == 16
    assert not Evidence.objects.filter(result__assessment=draft).exists()  # files are not copied
    assert not services.can_prefill_from_previous_year(draft)


def test_prefill_refuses_a_touched_draft_a_stale_version_and_no_previous_year(draft, officer_user, last_year):
    with pytest.raises(services.StaleAssessmentError):
        services.assessment_prefill_from_previous_year(assessment=draft, actor=officer_user, version=7)
    services.assessment_save_criterion(assessment=draft, actor=officer_user, version=1,
                                       criterion_id=draft.results.first().criterion_id, self_result="", note="đã nhập")
    with pytest.raises(services.DomainError, match="chưa nhập gì"):
        services.assessment_prefill_from_previous_year(assessment=draft, actor=officer_user, version=2)
    assert not draft.results.filter(from_previous_year=True).exists()


def test_prefill_without_a_previous_year_is_refused(draft, officer_user):
    assert not services.can_prefill_from_previous_year(draft)
    with pytest.raises(services.DomainError, match="Không có đánh giá năm 2024"):
        services.assessment_prefill_from_previous_year(assessment=draft, actor=officer_user, version=1)


def test_another_units_last_year_is_never_used(draft, officer_user, other_unit, criteria_set):
    record(other_unit, 2024, 16)
    assert services.previous_year_assessment(draft) is None


def test_saving_a_criterion_confirms_it(draft, last_year, officer_user):
    services.assessment_prefill_from_previous_year(assessment=draft, actor=officer_user, version=1)
    second = draft.results.get(criterion__number=2)
    services.assessment_save_criterion(assessment=draft, actor=officer_user, version=2, criterion_id=second.criterion_id,
                                       self_result=Result.MET, note="")
    assert list(draft.results.filter(from_previous_year=False).values_list("criterion__number", flat=True)) == [2]


def test_prefill_page_flow_and_whole_form_confirm(client, draft, last_year, officer_user, other_unit):
    client.force_login(officer_user)
    page = client.get(reverse("assessments:assessment_detail", args=[draft.pk])).content.decode()
    assert "Lấy kết quả năm trước" in page
    response = client.post(reverse("assessments:assessment_prefill", args=[draft.pk]), {"version": 1}, follow=True)
    page = response.content.decode()
    assert "Đã lấy kết quả và ghi chú năm trước cho 16 tiêu chí" in page
    assert page.count("Lấy từ năm trước – cần xác nhận") == 16 and "Lấy kết quả năm trước" not in page
    # Without scripts: tick "confirm" on criterion 3 and save the whole form.
    draft.refresh_from_db()
    data = {"version": draft.version, "action": "save"}
    for r in draft.results.all():
        data[f"c{r.criterion_id}_result"] = r.self_result
        data[f"c{r.criterion_id}_note"] = r.note
    third = draft.results.get(criterion__number=3)
    data["confirm"] = [str(third.criterion_id), "abc"]
    assert client.post(reverse("assessments:assessment_detail", args=[draft.pk]), data).status_code == 302
    assert draft.results.filter(from_previous_year=True).count() == 15
    third.refresh_from_db()
    assert not third.from_previous_year
    # Another commune's officer cannot prefill this draft.
    client.force_login(factories.officer(other_unit))
    assert client.post(reverse("assessments:assessment_prefill", args=[draft.pk]), {"version": 3}).status_code == 404


def test_prefill_bad_version_changes_nothing(client, draft, last_year, officer_user):
    client.force_login(officer_user)
    client.post(reverse("assessments:assessment_prefill", args=[draft.pk]), {"version": "x"})
    client.post(reverse("assessments:assessment_prefill", args=[draft.pk]), {"version": 5})
    draft.refresh_from_db()
    assert draft.version == 1 and not draft.results.filter(from_previous_year=True).exists()
