"""Notifications: created by the workflow on return and verify, listed, counted in the navigation,
marked read when the list is opened; a user only ever sees their own."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.models import Result
from notifications.models import Kind, Notification
from tests import factories

pytestmark = pytest.mark.django_db
LIST = reverse("notifications:list")


@pytest.fixture
def world(criteria_set):
    unit = factories.UnitFactory()
    officer = factories.officer(unit)
    colleague = factories.officer(unit)
    stranger = factories.officer(factories.UnitFactory(district=unit.district))
    reviewer = factories.reviewer(unit.district)
    assessment = services.assessment_get_or_create(unit=unit, year=2026, actor=officer)
    services.assessment_save_self(assessment=assessment, actor=officer, version=assessment.version, values={
        r.criterion_id: {"self_result": Result.MET if r.criterion.number <= 14 else Result.NOT_MET, "note": ""}
        for r in assessment.results.select_related("criterion")})
    assessment.refresh_from_db()
    services.assessment_submit(assessment=assessment, actor=officer, version=assessment.version)
    assessment.refresh_from_db()
    return {"unit": unit, "officer": officer, "colleague": colleague, "stranger": stranger, "reviewer": reviewer,
            "assessment": assessment}


def test_return_tells_the_unit_officers_why(world):
    services.assessment_return(assessment=world["assessment"], actor=world["reviewer"],
                               reason="Tiêu chí 5 thiếu ảnh camera.")
    notes = Notification.objects.order_by("user_id")
    assert {n.user for n in notes} == {world["officer"], world["colleague"]}
    note = notes.first()
    assert note.kind == Kind.RETURNED and note.read_at is None
    assert "Đánh giá năm 2026" in note.text and "bị trả lại" in note.text and "Tiêu chí 5 thiếu ảnh camera." in note.text
    assert note.link == reverse("assessments:assessment_detail", args=[world["assessment"].pk])


def test_verify_tells_the_unit_officers_the_count(world):
    services.assessment_verify(assessment=world["assessment"], actor=world["reviewer"])
    note = Notification.objects.get(user=world["officer"])
    assert note.kind == Kind.VERIFIED and "đã được thẩm định: đạt 14 tiêu chí" in note.text
    assert not Notification.objects.filter(user=world["stranger"]).exists()


def test_text_is_stored_in_vietnamese_whatever_the_reviewers_language(world):
    with translation.override("en"):
        services.assessment_return(assessment=world["assessment"], actor=world["reviewer"], reason="Thiếu")
    assert "bị trả lại" in Notification.objects.filter(user=world["officer"]).get().text


def test_a_refused_step_notifies_nobody(world):
    with pytest.raises(services.DomainError):
        services.assessment_return(assessment=world["assessment"], actor=world["reviewer"], reason="  ")
    assert not Notification.objects.exists()


def test_badge_list_and_marked_read_on_open(client, world):
    services.assessment_return(assessment=world["assessment"], actor=world["reviewer"], reason="Bổ sung minh chứng")
    client.force_login(world["officer"])
    home = client.get(reverse("assessments:officer_home")).content.decode()
    assert re.search(r'data-testid="unread-count">1<', home) and "1 thông báo chưa đọc" in home
    page = client.get(LIST).content.decode()
    assert "Bổ sung minh chứng" in page and "Mới" in page and "data-unread" in page
    assert Notification.objects.get(user=world["officer"]).read_at is not None
    assert 'data-testid="unread-count"' not in page  # the badge is gone once the list is open
    again = client.get(LIST).content.decode()
    assert "Bổ sung minh chứng" in again and "data-unread" not in again
    # The colleague's copy is still unread: reading is per user.
    assert Notification.objects.get(user=world["colleague"]).read_at is None


def test_a_user_sees_only_their_own(client, world):
    services.assessment_return(assessment=world["assessment"], actor=world["reviewer"], reason="Riêng của xã")
    client.force_login(world["stranger"])
    page = client.get(LIST).content.decode()
    assert "Riêng của xã" not in page and "Chưa có thông báo nào." in page
    assert Notification.objects.filter(read_at__isnull=True).count() == 2  # nothing of others marked read


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_every_role_reaches_the_list(client, world):
    for user in (world["reviewer"], factories.province_viewer(), factories.administrator()):
        client.force_login(user)
        assert client.get(LIST).status_code == 200
        assert f'href="{LIST}"' in client.get(LIST).content.decode()
