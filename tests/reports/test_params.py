"""The report parameters parsed in one place (reports/params.py): the years a report accepts."""

import datetime

import pytest
from django.utils import timezone

from reports.params import BadParameter, last_year, parse_year
from tests import factories


def test_next_year_is_accepted_without_reading_the_data(db, django_assert_num_queries):
    next_year = timezone.localdate().year + 1
    with django_assert_num_queries(0):
        assert parse_year(str(next_year), 2025) == next_year
        assert parse_year("2015", 2025) == 2015


@pytest.mark.parametrize("raw", ["2014", "0", "-1", "99999", "2100", "9" * 5000, "abc", "\x00", "٢٠٢٥"])
def test_a_year_out_of_reach_is_a_bad_parameter(db, raw):
    with pytest.raises(BadParameter) as error:
        parse_year(raw, 2025)
    assert "\x00" not in str(error.value) and len(str(error.value)) < 200


def test_a_later_target_or_programme_year_moves_the_last_year(db):
    far = timezone.localdate().year + 4
    programme = factories.ProgrammeFactory()
    factories.TargetFactory(programme=programme, deadline=datetime.date(far, 12, 31))
    assert last_year() == far and parse_year(str(far), 2025) == far
    with pytest.raises(BadParameter):
        parse_year(str(far + 1), 2025)
    programme.last_year = far + 2
    programme.save()
    assert parse_year(str(far + 2), 2025) == far + 2
