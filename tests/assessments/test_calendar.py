"""The yearly calendar as data (ProgrammeYear) and the pages that count days from it.

Every day here is named explicitly: the pages read the day from `assessments.selectors.today`,
which a test replaces for itself (nothing is frozen globally).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import selectors
from assessments.models import ProgrammeYear
from assessments.programmes import Calendar, calendar_for, calendars_for
from tests import factories
from tests.conftest import record

pytestmark = pytest.mark.django_db
D = datetime.date


def test_without_a_row_the_year_uses_the_programme_defaults(criteria_set):
    programme = criteria_set.programme
    cal = calendar_for(programme, 2026)
    assert isinstance(cal, Calendar) and not cal.custom
    assert (cal.window_start, cal.window_end) == (D(2025, 11, 16), D(2026, 11, 15))
    assert (cal.commune_deadline, cal.district_deadline) == (D(2026, 11, 30), D(2026, 12, 15))
    assert cal.days_to_commune_deadline(D(2026, 11, 28)) == 2
    assert cal.days_to_commune_deadline(D(2026, 12, 3)) == -3


def test_a_year_row_overrides_that_year_only(criteria_set):
    programme = criteria_set.programme
    ProgrammeYear.objects.create(programme=programme, year=2026, window_start=D(2025, 11, 16),
                                 window_end=D(2026, 11, 20), commune_deadline=D(2026, 12, 5),
                                 district_deadline=D(2026, 12, 20), note="Công văn gia hạn")
    cal = calendar_for(programme, 2026)
    assert cal.custom and cal.commune_deadline == D(2026, 12, 5) and cal.district_deadline == D(2026, 12, 20)
    assert calendar_for(programme, 2025).commune_deadline == D(2025, 11, 30)


def test_programme_defaults_are_data(criteria_set):
    programme = criteria_set.programme
    programme.commune_deadline, programme.district_deadline = "12-01", "12-20"
    programme.save()
    cal = calendar_for(programme, 2027)
    assert (cal.commune_deadline, cal.district_deadline) == (D(2027, 12, 1), D(2027, 12, 20))


def test_calendars_for_several_programmes_is_one_query(criteria_set):
    ward = factories.ProgrammeFactory(code="nq12_ward", name="Phường điển hình")
    ProgrammeYear.objects.create(programme=ward, year=2026, window_start=D(2025, 11, 16), window_end=D(2026, 11, 15),
                                 commune_deadline=D(2026, 11, 25), district_deadline=D(2026, 12, 10))
    with CaptureQueriesContext(connection) as ctx:
        calendars = calendars_for([criteria_set.programme, ward], 2026)
    assert len(ctx.captured_queries) == 1
    assert calendars[ward.id].commune_deadline == D(2026, 11, 25)
    assert calendars[criteria_set.programme.id].commune_deadline == D(2026, 11, 30)


def test_deadlines_in_the_wrong_order_are_refused(criteria_set):
    row = ProgrammeYear(programme=criteria_set.programme, year=2026, window_start=D(2025, 11, 16),
                        window_end=D(2026, 11, 15), commune_deadline=D(2026, 12, 20),
                        district_deadline=D(2026, 12, 15))
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "district_deadline" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_the_admin_edits_a_year_with_history(client, admin_user, criteria_set):
    client.force_login(admin_user)
    response = client.post(reverse("admin:assessments_programmeyear_add"), {
        "programme": criteria_set.programme.pk, "year": 2026, "window_start": "16/11/2025",
        "window_end": "15/11/2026", "commune_deadline": "07/12/2026", "district_deadline": "21/12/2026",
        "note": "Gia hạn",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    row = ProgrammeYear.objects.get()
    assert row.commune_deadline == D(2026, 12, 7)
    assert row.history.get().history_user == admin_user
    page = client.get(reverse("admin:assessments_programme_change", args=[criteria_set.programme.pk]))
    assert page.status_code == 200 and "Lịch riêng của từng năm" in page.content.decode()


# ---------------------------------------------------------------- pages


@pytest.fixture
def on(monkeypatch):
    def set_day(day):
        monkeypatch.setattr(selectors, "today", lambda: day)
    return set_day


def test_officer_home_counts_days_left_from_the_calendar(client, officer_user, criteria_set, on):
    on(D(2026, 11, 23))
    client.force_login(officer_user)
    page = client.get(reverse("assessments:officer_home")).content.decode()
    assert "30/11/2026" in page and "còn 7 ngày" in page


def test_officer_home_says_how_late(client, officer_user, criteria_set, on):
    on(D(2026, 12, 3))
    client.force_login(officer_user)
    page = client.get(reverse("assessments:officer_home")).content.decode()
    assert "quá hạn 3 ngày" in page


def test_officer_home_follows_an_extended_deadline(client, officer_user, criteria_set, on):
    ProgrammeYear.objects.create(programme=criteria_set.programme, year=2026, window_start=D(2025, 11, 16),
                                 window_end=D(2026, 11, 15), commune_deadline=D(2026, 12, 10),
                                 district_deadline=D(2026, 12, 20))
    on(D(2026, 12, 3))
    client.force_login(officer_user)
    page = client.get(reverse("assessments:officer_home")).content.decode()
    assert "10/12/2026" in page and "còn 7 ngày" in page and "lịch riêng của năm này" in page
    on(D(2026, 12, 10))
    assert "hôm nay là hạn cuối" in client.get(reverse("assessments:officer_home")).content.decode()


def test_no_countdown_once_submitted(client, officer_user, criteria_set, unit, on):
    record(unit, 2026, 16, stage="self")
    on(D(2026, 12, 3))
    client.force_login(officer_user)
    page = client.get(reverse("assessments:officer_home")).content.decode()
    assert 'data-testid="days-left"' not in page


def test_reviewer_inbox_counts_days_to_the_district_deadline(client, reviewer_user, criteria_set, unit, on):
    on(D(2026, 12, 10))
    client.force_login(reviewer_user)
    page = client.get(reverse("assessments:reviewer_inbox")).content.decode()
    assert "15/12/2026" in page and "còn 5 ngày đến hạn thẩm định" in page


def test_reviewer_inbox_says_how_late_while_something_waits(client, reviewer_user, criteria_set, unit, on):
    on(D(2026, 12, 18))
    client.force_login(reviewer_user)
    assert "quá hạn thẩm định" not in client.get(reverse("assessments:reviewer_inbox")).content.decode()
    record(unit, 2026, 16, stage="self")
    page = client.get(reverse("assessments:reviewer_inbox")).content.decode()
    assert "quá hạn thẩm định 3 ngày" in page


# ---------------------------------------------------------------- late ("quá hạn (nộp muộn)") on the pages


def sent_on(assessment, day, hour=10):
    """The assessment was sent up on `day` (local time), as if the officer had pressed the button then."""
    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    type(assessment).objects.filter(pk=assessment.pk).update(submitted_at=moment)
    return assessment


def test_submission_late_is_one_rule_against_the_commune_deadline(criteria_set):
    cal = calendar_for(criteria_set.programme, 2026)
    assert not selectors.submission_late(D(2026, 11, 30), cal)  # the deadline day itself is on time
    assert selectors.submission_late(D(2026, 12, 1), cal)
    assert not selectors.submission_late(None, cal)


def test_reviewer_inbox_and_table_show_late_and_on_time_submissions(client, reviewer_user, criteria_set, district, on):
    late_unit, on_time_unit = factories.UnitFactory(district=district), factories.UnitFactory(district=district)
    sent_on(record(late_unit, 2026, 12, stage="self"), D(2026, 12, 3), hour=23)  # 23:00 local: still 3/12
    sent_on(record(on_time_unit, 2026, 14, stage="self"), D(2026, 11, 30))
    on(D(2026, 12, 10))
    client.force_login(reviewer_user)
    page = client.get(reverse("assessments:reviewer_inbox") + "?year=2026").content.decode()
    # Once in the inbox, once in the status table.
    assert page.count("nộp muộn 3 ngày") == 2 and page.count('data-testid="submitted-on-time"') == 2
    assert 'data-testid="review-late"' not in page  # the district deadline (15/12) has not passed
    on(D(2026, 12, 17))
    page = client.get(reverse("assessments:reviewer_inbox") + "?year=2026").content.decode()
    assert page.count('data-testid="review-late"') == 4 and "quá hạn thẩm định 2 ngày" in page


def test_a_verified_assessment_keeps_its_late_submission_in_the_table(client, reviewer_user, criteria_set, unit, on):
    assessment = record(unit, 2026, 16)
    type(assessment).objects.filter(pk=assessment.pk).update(submitted_at=None)
    from django.utils import timezone

    type(assessment).objects.filter(pk=assessment.pk).update(
        verified_at=timezone.make_aware(datetime.datetime(2026, 12, 2, 9)))  # recorded straight as verified
    on(D(2026, 12, 20))
    client.force_login(reviewer_user)
    page = client.get(reverse("assessments:reviewer_inbox") + "?year=2026").content.decode()
    assert "nộp muộn 2 ngày" in page and 'data-testid="review-late"' not in page  # verified: not waiting


def test_officer_home_says_whether_the_submission_was_late(client, officer_user, criteria_set, unit, on):
    assessment = sent_on(record(unit, 2026, 16, stage="self"), D(2026, 12, 1))
    on(D(2026, 12, 20))
    client.force_login(officer_user)
    page = client.get(reverse("assessments:officer_home")).content.decode()
    assert "gửi ngày 01/12/2026" in page and "nộp muộn 1 ngày" in page
    assert "quá hạn thẩm định" not in page  # the reviewer's deadline is not the officer's
    sent_on(assessment, D(2026, 11, 28))
    page = client.get(reverse("assessments:officer_home")).content.decode()
    assert "nộp muộn" not in page and 'data-testid="submitted-on-time"' in page


def test_completeness_and_the_inbox_read_late_the_same_way(client, reviewer_user, criteria_set, unit, on):
    from reports.completeness import SUBMITTED_LATE, completeness_load

    sent_on(record(unit, 2026, 12, stage="self"), D(2026, 12, 1))
    state = completeness_load(programme=criteria_set.programme, year=2026, as_of=D(2026, 12, 5)).units
    assert [s.state for s in state if s.unit == unit] == [SUBMITTED_LATE]
    on(D(2026, 12, 5))
    client.force_login(reviewer_user)
    assert "nộp muộn 1 ngày" in client.get(reverse("assessments:reviewer_inbox") + "?year=2026").content.decode()
