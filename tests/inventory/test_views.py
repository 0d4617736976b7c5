"""The inventory page beside the assessment: officers enter, reviewers verify; scope through accounts.permissions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.models import CountStatus, ModelCount, ModelType
from tests import factories
from tests.conftest import record

from .conftest import put

pytestmark = pytest.mark.django_db


def url(unit, year=2025, verify=False):
    return reverse("inventory:unit_year_verify" if verify else "inventory:unit_year", args=[unit.pk, year])


def field(code):
    return f"t{ModelType.objects.get(code=code).id}"


def test_officer_home_and_assessment_page_link_to_the_inventory(client, model_types, criteria_set, unit,
                                                                 officer_user):
    client.force_login(officer_user)
    assessment = record(unit, 2025, 10, stage="self")
    assert reverse("inventory:unit_year", args=[unit.pk, assessment.year]) in client.get(
        reverse("assessments:assessment_detail", args=[assessment.pk])).content.decode()
    assert 'data-testid="inventory-link"' in client.get(reverse("assessments:officer_home")).content.decode()
    response = client.get(reverse("inventory:home"))
    assert response.status_code == 302 and response.url.startswith(f"/inventory/units/{unit.pk}/")


def test_officer_enters_counts_of_their_own_unit(client, model_types, unit, officer_user):
    client.force_login(officer_user)
    page = client.get(url(unit))
    assert page.status_code == 200 and "Hòm thư Zalo 4.0" in page.content.decode()
    response = client.post(url(unit), {field("zalo_mailbox"): "3", field("radio_loudspeaker"): "1",
                                       field("security_camera"): ""})
    assert response.status_code == 302
    assert {(c.model_type.code, c.count, c.status) for c in ModelCount.objects.all()} == {
        ("zalo_mailbox", 3, CountStatus.SELF), ("radio_loudspeaker", 1, CountStatus.SELF)}


@pytest.mark.parametrize("code, value", [("zalo_mailbox", "-1"), ("radio_loudspeaker", "2"), ("zalo_mailbox", "x")])
def test_bad_values_are_refused_and_nothing_written(client, model_types, unit, officer_user, code, value):
    client.force_login(officer_user)
    response = client.post(url(unit), {field(code): value})
    assert response.status_code == 400
    assert not ModelCount.objects.exists()


def test_officer_cannot_reach_another_unit(client, model_types, unit, other_unit, officer_user):
    client.force_login(officer_user)
    assert client.get(url(other_unit)).status_code == 404
    assert client.post(url(other_unit), {field("zalo_mailbox"): "3"}).status_code == 404
    assert client.post(url(unit, verify=True)).status_code == 403  # own unit, but officers do not verify
    assert not ModelCount.objects.exists()


def test_reviewer_verifies_then_officer_sees_it_locked(client, model_types, unit, officer_user, reviewer_user):
    put(unit, 2025, "zalo_mailbox", 3, status=CountStatus.SELF)
    client.force_login(reviewer_user)
    assert "Xác nhận số lượng đã kê khai" in client.get(url(unit)).content.decode()
    assert client.post(url(unit, verify=True)).status_code == 302
    assert ModelCount.objects.get().status == CountStatus.VERIFIED
    client.force_login(officer_user)
    page = client.get(url(unit)).content.decode()
    assert "disabled" in page
    client.post(url(unit), {field("zalo_mailbox"): "9"})  # a disabled field keeps its value
    assert ModelCount.objects.get().count == 3


def test_reviewer_of_another_district_gets_404_and_viewer_403(client, model_types, unit, other_district):
    put(unit, 2025, "zalo_mailbox", 3, status=CountStatus.SELF)
    client.force_login(factories.reviewer(other_district))
    assert client.get(url(unit)).status_code == 404
    assert client.post(url(unit, verify=True)).status_code == 404
    viewer = factories.province_viewer(unit.province)
    client.force_login(viewer)
    assert client.get(url(unit)).status_code == 200
    assert client.post(url(unit), {field("zalo_mailbox"): "5"}).status_code == 403
    assert client.post(url(unit, verify=True)).status_code == 403
    assert ModelCount.objects.get().count == 3 and ModelCount.objects.get().status == CountStatus.SELF


def test_progress_page_shows_units_having_it_over_the_frame(client, model_types, criteria_set, district):
    units = [factories.UnitFactory(district=district) for _ in range(3)]
    for u in units[:2]:
        put(u, 2025, "disaster_plan", 1)
    client.force_login(factories.province_viewer())
    page = client.get(reverse("reports:progress") + "?year=2025").content.decode()
    assert 'data-testid="models-table"' in page and "2/3" in page


def test_inventory_page_query_count_is_bounded(client, model_types, unit, officer_user):
    client.force_login(officer_user)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(unit)).status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    for code in ("zalo_mailbox", "security_camera", "radio_loudspeaker", "disaster_plan"):
        put(unit, 2025, code, 1)
    for n in range(10):
        ModelType.objects.create(code=f"extra_{n}", name=f"Mô hình {n}")
    assert queries() == small


# role → (own unit, unit of another district); anonymous users are sent to the login page.
MATRIX = {
    "get": {"officer": (200, 404), "reviewer": (200, 404), "province": (200, 200), "admin": (200, 200)},
    "save": {"officer": (302, 404), "reviewer": (302, 404), "province": (403, 403), "admin": (302, 302)},
    "verify": {"officer": (403, 404), "reviewer": (302, 404), "province": (403, 403), "admin": (302, 302)},
}


@pytest.mark.parametrize("action", list(MATRIX))
@pytest.mark.parametrize("role", ["anonymous", "officer", "reviewer", "province", "admin"])
@pytest.mark.parametrize("scope", ["own", "other"])
def test_permission_matrix(client, model_types, unit, other_unit, action, role, scope):
    target = unit if scope == "own" else other_unit
    row = put(target, 2025, "zalo_mailbox", 3, status=CountStatus.SELF)
    user = {"anonymous": None, "officer": factories.officer(unit), "reviewer": factories.reviewer(unit.district),
            "province": factories.province_viewer(unit.province), "admin": factories.administrator()}[role]
    if user:
        client.force_login(user)
    if action == "get":
        response = client.get(url(target))
    elif action == "save":
        response = client.post(url(target), {field("zalo_mailbox"): "7"})
    else:
        response = client.post(url(target, verify=True))
    row.refresh_from_db()
    if user is None:
        assert response.status_code == 302 and "/accounts/login/" in response.url
        assert (row.count, row.status) == (3, CountStatus.SELF)
        return
    expected = MATRIX[action][role][0 if scope == "own" else 1]
    assert response.status_code == expected
    done = expected == 302
    if action == "save":
        assert row.count == (7 if done else 3)
    elif action == "verify":
        assert row.status == (CountStatus.VERIFIED if done else CountStatus.SELF)
