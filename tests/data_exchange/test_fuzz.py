"""Arbitrary bytes and values never give a 500 and never write on refusal (hypothesis)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Assessment, Recognition, Registration
from data_exchange.importing import KINDS, build_plan
from data_exchange.services import ImportRejected, data_import

from .conftest import HEADER, csv_bytes

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
cell = st.one_of(st.text(max_size=12), st.sampled_from(["1", "0", "x", "đạt", "", "2024", "self", "verified",
                                                        "=1+1", "\x00", "\"", ";", "1e9", "-1"]))


def counts():
    return Assessment.objects.count(), Recognition.objects.count(), Registration.objects.count()


@FUZZ
@given(data=st.binary(max_size=400), kind=st.sampled_from(KINDS), suffix=st.sampled_from(["csv", "xlsx", "txt"]))
def test_arbitrary_bytes_are_refused_with_problems(criteria_set, data, kind, suffix):
    before = counts()
    plan = build_plan(kind=kind, name=f"f.{suffix}", data=data, user=None)
    # Random bytes never carry a format's header row: the file is refused with its problems and plans nothing.
    assert plan.problems and plan.changes == []
    for problem in plan.problems:
        assert problem.reason and str(problem).startswith(f"row {problem.row}, column ")
    assert counts() == before  # checking writes nothing


@FUZZ
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=len(HEADER) + 2), min_size=1, max_size=5))
def test_arbitrary_rows_write_nothing_when_refused(unit, rows):
    before = counts()
    try:
        data_import(kind="assessments", name="a.csv", data=csv_bytes(rows), actor=None)
    except ImportRejected as rejected:
        assert rejected.plan.problems
        assert counts() == before
