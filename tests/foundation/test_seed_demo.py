from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from assessments.models import Assessment, Recognition, Registration, Status


def run(name, *args):
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_refuses_on_a_production_configuration(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_builds_a_labelled_dataset_that_obeys_the_rules(settings):
    settings.DEBUG = True
    run("load_divisions")
    run("load_reform_2025")
    run("load_criteria")
    run("load_targets")
    output = run("seed_demo")
    assert "demo_admin" in output and "mật khẩu" in output

    roles = set(User.objects.filter(username__startswith="demo_").values_list("role", flat=True))
    assert roles == set(Role.values)
    assert all(u.last_name.startswith("[DEMO]") for u in User.objects.all())
    assert all(u.email == f"{u.username}@demo.invalid" for u in User.objects.all())

    years = set(Assessment.objects.values_list("year", flat=True))
    assert years == {2022, 2023, 2024, 2025, 2026}
    statuses = set(Assessment.objects.filter(year=2026).values_list("status", flat=True))
    assert {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.VERIFIED} <= statuses
    commune = Assessment.objects.filter(criteria_set__programme__code="nq12_commune")
    # Before the reform the 139 xã and thị trấn themselves; after it only the units in force then.
    assert commune.filter(year=2024).count() == 139
    assert not commune.filter(year=2024, unit__kind="phuong").exists()
    assert not Assessment.objects.filter(year__gte=2025, unit__valid_from__isnull=True).exists()
    assert commune.filter(year=2025).count() == 44  # the holders of the 139 frame places
    # The ward pilot: the phường of the city before, their holders after.
    ward = Assessment.objects.filter(criteria_set__programme__code="nq12_ward")
    assert ward.filter(year=2024).count() == 12 and set(ward.values_list("unit__kind", flat=True)) == {"phuong"}
    # A demo officer of a 2026 unit has a live 2026 assessment today.
    officer = User.objects.filter(role=Role.COMMUNE_OFFICER, username__startswith="demo_xa_").first()
    assert officer.unit.valid_from is not None
    assert Assessment.objects.filter(unit=officer.unit, year=2026, status=Status.DRAFT).exists()
    province_reviewer = User.objects.get(username="demo_thamdinh_25")
    assert province_reviewer.province.code == 25 and province_reviewer.district is None
    assert User.objects.get(username="demo_tinh").province.code == 25

    assert Registration.objects.filter(year=2022).count() >= 3
    recognitions = Recognition.objects.all()
    assert recognitions.filter(level=1).count() >= 10 and recognitions.filter(level=2).exists()
    assert all("DEMO" in r.decision_number for r in recognitions)
    assert not recognitions.exclude(rule_warning="").exists()  # every decision obeys §3
    assert recognitions.filter(revoked_on__isnull=False).count() == 1

    # Idempotent: a second run creates nothing.
    before = Assessment.objects.count(), Recognition.objects.count(), User.objects.count()
    assert "đã có" in run("seed_demo")
    assert (Assessment.objects.count(), Recognition.objects.count(), User.objects.count()) == before
