"""The admin's user form: a role without the scope it needs is a Vietnamese field error, never the raw
English check-constraint message, and nothing is saved."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests import factories


def add(client, **data):
    post = {"username": "moi", "password1": "Mat-khau-dai-123", "password2": "Mat-khau-dai-123",
            "usable_password": "true", "role": "commune_officer", "unit": "", "district": "", "province": ""}
    post.update(data)
    return client.post(reverse("admin:accounts_user_add"), post)


@pytest.fixture
def admin_client_vi(client, db):
    client.force_login(factories.administrator())
    return client


def test_officer_without_a_unit_is_a_vietnamese_field_error(admin_client_vi):
    response = add(admin_client_vi)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cán bộ Công an xã cần được gán một đơn vị" in page
    assert "Constraint" not in page and "violated" not in page
    assert not User.objects.filter(username="moi").exists()


def test_reviewer_needs_exactly_one_scope(admin_client_vi):
    district = factories.DistrictFactory()
    response = add(admin_client_vi, role="district_reviewer")
    assert "Cán bộ thẩm định cần đúng một phạm vi" in response.content.decode()
    response = add(admin_client_vi, role="district_reviewer", district=district.pk, province=district.province_id)
    assert "Cán bộ thẩm định cần đúng một phạm vi" in response.content.decode()
    assert not User.objects.filter(username="moi").exists()


def test_a_valid_officer_is_added(admin_client_vi):
    unit = factories.UnitFactory()
    response = add(admin_client_vi, unit=unit.pk)
    assert response.status_code == 302
    assert User.objects.get(username="moi").unit == unit


def test_changing_an_officer_to_a_provincial_viewer_without_a_province_is_refused(admin_client_vi):
    officer = factories.officer(factories.UnitFactory())
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    response = admin_client_vi.post(url, {"username": officer.username, "role": "province_viewer",
                                          "unit": officer.unit_id, "is_active": "on",
                                          "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    page = response.content.decode()
    assert response.status_code == 200 and "Ban Chỉ đạo tỉnh cần được gán một tỉnh" in page
    assert "Constraint" not in page
    officer.refresh_from_db()
    assert officer.role == "commune_officer"
