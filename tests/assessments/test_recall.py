"""Recall: the officer takes back a submission no reviewer has opened; once opened, a clear refusal."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Status, Transition
from tests import factories


def detail(a):
    return reverse("assessments:assessment_detail", args=[a.pk])


def test_recall_before_the_reviewer_opens_it(submitted, officer_user):
    assert services.can_recall(submitted)
    services.assessment_recall(assessment=submitted, actor=officer_user, reason="Quên đính kèm biên bản",
                               version=submitted.version)
    submitted.refresh_from_db()
    assert submitted.status == Status.DRAFT and submitted.submitted_at is None
    step = Transition.objects.filter(assessment=submitted).last()
    assert (step.from_status, step.to_status, step.reason, step.actor) == (
        Status.SUBMITTED, Status.DRAFT, "Quên đính kèm biên bản", officer_user)


def _row(assessment):
    return {f.attname: getattr(Assessment.objects.get(pk=assessment.pk), f.attname)
            for f in Assessment._meta.concrete_fields}


def test_reading_the_review_page_changes_nothing_and_the_officer_can_still_recall(client, submitted, officer_user,
                                                                                 reviewer_user):
    before = _row(submitted)
    results_before = list(submitted.results.order_by("pk").values())
    client.force_login(reviewer_user)
    response = client.get(reverse("assessments:assessment_review", args=[submitted.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="review-start"' in page and "vẫn có thể rút lại" in page
    assert 'value="verify"' not in page and 'value="return"' not in page  # read-only until started
    assert _row(submitted) == before and list(submitted.results.order_by("pk").values()) == results_before
    assert services.can_recall(submitted)
    services.assessment_recall(assessment=submitted, actor=officer_user, reason="Bổ sung minh chứng",
                               version=submitted.version)
    submitted.refresh_from_db()
    assert submitted.status == Status.DRAFT


def test_recall_is_refused_once_a_reviewer_started_the_review(client, submitted, officer_user, reviewer_user):
    client.force_login(reviewer_user)
    start = reverse("assessments:assessment_review_start", args=[submitted.pk])
    version = submitted.version
    response = client.post(start)
    assert response.status_code == 302 and response["Location"] == reverse("assessments:assessment_review",
                                                                           args=[submitted.pk])
    opened = Assessment.objects.get(pk=submitted.pk).review_opened_at
    client.post(start)  # a double click changes nothing more
    submitted.refresh_from_db()
    assert submitted.review_opened_at == opened is not None and not services.can_recall(submitted)
    assert submitted.version == version  # not a change of the assessment
    page = client.get(reverse("assessments:assessment_review", args=[submitted.pk])).content.decode()
    assert 'data-testid="review-start"' not in page and 'value="verify"' in page
    version = submitted.version
    with pytest.raises(services.DomainError, match="Cấp trên đã mở xem"):
        services.assessment_recall(assessment=submitted, actor=officer_user, reason="muộn", version=version)
    client.force_login(officer_user)
    page = client.get(detail(submitted)).content.decode()
    assert 'data-testid="recall-closed"' in page and 'data-testid="recall"' not in page
    response = client.post(reverse("assessments:assessment_recall", args=[submitted.pk]),
                           {"version": version, "reason": "muộn"}, follow=True)
    assert "Cấp trên đã mở xem" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED and submitted.version == version


def test_a_resubmission_can_be_recalled_again_until_opened(submitted, officer_user, reviewer_user):
    services.assessment_review_start(assessment=submitted, actor=reviewer_user)
    submitted.refresh_from_db()
    services.assessment_return(assessment=submitted, actor=reviewer_user, reason="Bổ sung", version=submitted.version)
    submitted.refresh_from_db()
    services.assessment_submit(assessment=submitted, actor=officer_user, version=submitted.version)
    submitted.refresh_from_db()
    assert services.can_recall(submitted)  # the earlier opening was of the earlier submission


def test_an_officer_starts_no_review_and_other_statuses(draft, officer_user, reviewer_user, verified):
    with pytest.raises(PermissionDenied):
        services.assessment_review_start(assessment=verified, actor=officer_user)
    with pytest.raises(services.DomainError, match="đã gửi lên"):
        services.assessment_review_start(assessment=verified, actor=reviewer_user)
    verified.refresh_from_db()
    assert verified.review_opened_at is None
    with pytest.raises(services.DomainError, match="Chỉ rút lại"):
        services.assessment_recall(assessment=verified, actor=officer_user, reason="x", version=verified.version)


def test_recall_needs_a_reason_and_the_right_version(client, submitted, officer_user):
    client.force_login(officer_user)
    page = client.get(detail(submitted)).content.decode()
    assert 'data-testid="recall"' in page
    url = reverse("assessments:assessment_recall", args=[submitted.pk])
    client.post(url, {"version": submitted.version, "reason": "  "})
    client.post(url, {"version": submitted.version + 5, "reason": "cũ"})
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    response = client.post(url, {"version": submitted.version, "reason": "Sửa tiêu chí 3"}, follow=True)
    assert "Đã rút lại đánh giá" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.DRAFT
    assert "Sửa tiêu chí 3" in client.get(detail(submitted)).content.decode()  # in the timeline


def test_another_communes_officer_cannot_recall(client, submitted, other_unit):
    client.force_login(factories.officer(other_unit))
    response = client.post(reverse("assessments:assessment_recall", args=[submitted.pk]),
                           {"version": submitted.version, "reason": "x"})
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
