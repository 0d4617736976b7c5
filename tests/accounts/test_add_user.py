from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from tests.factories import UnitFactory


def add_user(monkeypatch, *args, password="Mat-khau-dai-2026"):
    monkeypatch.setenv("PORTAL_PASSWORD", password)
    out = StringIO()
    call_command("add_user", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_creates_each_role_with_its_scope(monkeypatch):
    unit = UnitFactory()
    add_user(monkeypatch, "xa1", "--role", "commune_officer", "--unit", str(unit.code))
    add_user(monkeypatch, "huyen1", "--role", "district_reviewer", "--district", str(unit.district.code))
    add_user(monkeypatch, "tinh1", "--role", "province_viewer", "--province", str(unit.province.code))
    output = add_user(monkeypatch, "qt1", "--role", "admin")
    assert "Đã tạo tài khoản qt1" in output
    users = {u.username: u for u in User.objects.all()}
    assert users["xa1"].unit == unit and users["xa1"].role == Role.COMMUNE_OFFICER
    assert users["huyen1"].district == unit.district
    assert not users["tinh1"].is_staff and users["tinh1"].province == unit.province
    assert users["qt1"].is_staff and users["qt1"].is_superuser
    assert users["xa1"].check_password("Mat-khau-dai-2026")


@pytest.mark.django_db
@pytest.mark.parametrize("args, message", [
    (["--role", "commune_officer"], "--unit"),
    (["--role", "commune_officer", "--unit", "123456"], "không có đơn vị nào mã"),
    (["--role", "district_reviewer"], "--district"),
    (["--role", "province_viewer"], "--province"),
    (["--role", "province_viewer", "--unit", "1"], "không dùng --unit"),
    (["--role", "district_reviewer", "--district", "1", "--province", "17"], "đúng một trong"),
])
def test_bad_scope_is_refused_and_nothing_created(monkeypatch, args, message):
    with pytest.raises(CommandError, match=message):
        add_user(monkeypatch, "x", *args)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_weak_password_is_refused(monkeypatch):
    with pytest.raises(CommandError):
        add_user(monkeypatch, "x", "--role", "province_viewer", password="123")
    assert not User.objects.exists()
