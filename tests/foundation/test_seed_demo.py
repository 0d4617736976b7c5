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
    run("load_criteria")
    run("load_targets")
    output = run("seed_demo")
    assert "demo_admin" in output and "mật khẩu" in output

    roles = set(User.objects.filter(username__startswith="demo_").values_list("role", flat=True))
    assert roles == set(Role.values)
    assert all(u.last_name.startswith("[DEMO]") for u in User.objects.all())

    years = set(Assessment.objects.values_list("year", flat=True))
    assert years == {2022, 2023, 2024, 2025}
    statuses = set(Assessment.objects.filter(year=2025).values_list("status", flat=True))
    assert {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.VERIFIED} <= statuses
    # Only xã and thị trấn are assessed; phường are not in the commune programme.
    assert not Assessment.objects.filter(unit__kind="phuong").exists()
    assert Assessment.objects.filter(year=2024).count() == 139

    assert Registration.objects.filter(year=2022).count() == 9
    recognitions = Recognition.objects.all()
    assert recognitions.filter(level=1).count() >= 10 and recognitions.filter(level=2).exists()
    assert all("DEMO" in r.decision_number for r in recognitions)
    assert not recognitions.exclude(rule_warning="").exists()  # every decision obeys §3
    assert recognitions.filter(revoked_on__isnull=False).count() == 1

    # Idempotent: a second run creates nothing.
    before = Assessment.objects.count(), Recognition.objects.count(), User.objects.count()
    assert "đã có" in run("seed_demo")
    assert (Assessment.objects.count(), Recognition.objects.count(), User.objects.count()) == before
