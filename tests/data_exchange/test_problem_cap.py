"""A file with thousands of bad rows: the first IMPORT_MAX_PROBLEMS problems are listed, then a count."""

import io

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments.models import Assessment
from data_exchange.importing import ImportPlan
from data_exchange.models import PendingImport
from tests.imports import result_of

from .conftest import assessment_row, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _criteria(criteria_set):
    return criteria_set


def duplicates(unit, count):
    """`count` copies of one row: every copy after the first is a problem."""
    return csv_bytes([assessment_row(unit, 2024)] * count)


def test_default_cap_is_200():
    assert django_settings.IMPORT_MAX_PROBLEMS == 200


def test_plan_keeps_the_first_problems_by_row_and_counts_all(settings):
    settings.IMPORT_MAX_PROBLEMS = 3
    plan = ImportPlan(kind="assessments", file_name="a.csv")
    for row in (9, 2, 7, 5, 2, 8, 3):
        plan.add_problem(row, "year", f"r{row}")
    assert [(p.row, p.reason) for p in plan.problems] == [(2, "r2"), (2, "r2"), (3, "r3")]
    assert (plan.problem_count, plan.more_problems, plan.ok) == (7, 4, False)


def test_command_prints_the_first_problems_then_the_count(tmp_path, settings, unit):
    settings.IMPORT_MAX_PROBLEMS = 5
    path = tmp_path / "dup.csv"
    path.write_bytes(duplicates(unit, 301))
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_data", "assessments", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[:5] == [f"row {n}, column commune_code: {unit.name} năm 2024 đã có ở dòng 2." for n in range(3, 8)]
    assert lines[5:] == ["… and 295 more problem(s)."]
    assert str(caught.value) == "dup.csv: 300 problem(s), nothing imported." and caught.value.returncode == 1
    assert not Assessment.objects.exists()


def test_preview_lists_the_first_problems_and_the_count(client, reviewer_user, unit):
    client.force_login(reviewer_user)
    upload = io.BytesIO(duplicates(unit, 2001))
    upload.name = "dup.csv"
    response = client.post(reverse("data_exchange:import"), {"upload-kind": "assessments", "upload-file": upload})
    page = client.get(result_of(client, response)).content.decode()
    assert "Tệp có 2.000 lỗi." in page
    assert page.count("<li>") == 200 and "Dòng 202, cột commune_code" in page and "Dòng 203," not in page
    assert "… và 1.800 lỗi khác" in page
    assert len(page) < 100_000  # 2,000 lines would make ~190 KB; a 200,000-row file was a 17 MB page
    assert not Assessment.objects.exists() and PendingImport.objects.count() == 1
