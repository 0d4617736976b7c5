"""Recall: the officer takes back a submission no reviewer has opened; once opened, a clear refusal."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Status, Transition
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


def test_recall_is_refused_once_a_reviewer_opened_the_review_page(client, submitted, officer_user, reviewer_user):
    client.force_login(reviewer_user)
    assert client.get(reverse("assessments:assessment_review", args=[submitted.pk])).status_code == 200
    submitted.refresh_from_db()
    assert submitted.review_opened_at is not None and not services.can_recall(submitted)
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
    services.assessment_mark_review_opened(assessment=submitted, actor=reviewer_user)
    submitted.refresh_from_db()
    services.assessment_return(assessment=submitted, actor=reviewer_user, reason="Bổ sung", version=submitted.version)
    submitted.refresh_from_db()
    services.assessment_submit(assessment=submitted, actor=officer_user, version=submitted.version)
    submitted.refresh_from_db()
    assert services.can_recall(submitted)  # the earlier opening was of the earlier submission


def test_an_officer_opening_nothing_and_other_statuses(draft, officer_user, verified):
    services.assessment_mark_review_opened(assessment=verified, actor=officer_user)
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
