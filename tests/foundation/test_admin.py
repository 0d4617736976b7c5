import pytest
from django.contrib import admin
from django.urls import reverse

from assessments.models import CriteriaSet
from tests.conftest import record
from tests.factories import (
    PASSWORD,
    CriteriaSetFactory,
    RecognitionFactory,
    TargetFactory,
    UnitFactory,
    enrol_two_factor,
    totp_code,
)


@pytest.fixture
def data(db):
    criteria_set = CriteriaSetFactory()
    unit = UnitFactory()
    record(unit, 2024, 16)
    RecognitionFactory(unit=unit)
    TargetFactory()
    return criteria_set, unit


def test_every_admin_page_renders_for_an_administrator(client, admin_user, data):
    client.force_login(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        prefix = f"admin:{info[0]}_{info[1]}"
        changelist = client.get(reverse(f"{prefix}_changelist"))
        assert changelist.status_code == 200, info
        obj = model._default_manager.first()
        if obj is not None:
            assert client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200, info
            if hasattr(model, "history"):
                assert client.get(reverse(f"{prefix}_history", args=[obj.pk])).status_code == 200, info
        if model_admin.has_add_permission(type("R", (), {"user": admin_user})()):
            assert client.get(reverse(f"{prefix}_add")).status_code == 200, info


def test_admin_is_in_vietnamese(client, admin_user, data):
    client.force_login(admin_user)
    page = client.get(reverse("admin:assessments_criteriaset_changelist")).content.decode()
    assert "Bộ tiêu chí" in page
    assert "Sao chép thành phiên bản mới" in page


@pytest.mark.parametrize("role", ["province_user", "reviewer_user", "officer_user"])
def test_admin_is_for_administrators_only(client, request, role, data):
    user = request.getfixturevalue(role)
    user.is_staff = True  # even a hand-set flag does not open the admin
    user.save()
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_copy_as_new_version_keeps_the_used_set_intact(client, admin_user, data):
    criteria_set, _unit = data
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:assessments_criteriaset_changelist"),
        {"action": "copy_as_new_version", "_selected_action": [criteria_set.pk]},
        follow=True,
    )
    assert response.status_code == 200
    copy = CriteriaSet.objects.exclude(pk=criteria_set.pk).get()
    assert copy.version == criteria_set.version + 1
    assert list(copy.criteria.values_list("number", "title")) == list(
        criteria_set.criteria.values_list("number", "title"))
    # The set in use cannot be edited any more: its change form has no editable name.
    page = client.get(reverse("admin:assessments_criteriaset_change", args=[criteria_set.pk])).content.decode()
    assert 'name="name"' not in page
    page = client.get(reverse("admin:assessments_criteriaset_change", args=[copy.pk])).content.decode()
    assert 'name="name"' in page


def test_admin_records_a_historical_recognition_with_a_warning(client, admin_user, db):
    from assessments.models import Recognition
    unit = UnitFactory()
    CriteriaSetFactory()
    client.force_login(admin_user)
    response = client.post(reverse("admin:assessments_recognition_add"), {
        "unit": unit.pk, "level": 1, "decision_number": "12/QĐ-UBND", "decision_date": "15/12/2019",
        "issued_by": "UBND huyện", "revoke_reason": "",
    }, follow=True)
    assert response.status_code == 200
    recognition = Recognition.objects.get()
    assert "chưa có đánh giá đã thẩm định" in recognition.rule_warning


def test_login_with_password_and_code_reaches_admin(client, admin_user):
    enrol_two_factor(admin_user)
    response = client.post(reverse("accounts:login"), {"username": admin_user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login_code")
    # The password alone reaches no admin page.
    assert client.get(reverse("admin:index")).status_code == 302
    response = client.post(reverse("accounts:login_code"), {"code": totp_code()})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_form_is_the_portal_sign_in(client, db):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_admin_adds_registrations_and_recognitions_through_the_services(client, admin_user, db):
    from assessments.models import Recognition, Registration
    from communes.models import UnitKind

    unit = UnitFactory()
    ward = UnitFactory(kind=UnitKind.PHUONG)  # in no programme
    CriteriaSetFactory()
    client.force_login(admin_user)
    url = reverse("admin:assessments_registration_add")
    client.post(url, {"unit": unit.pk, "year": 2024, "note": "thí điểm"}, follow=True)
    registration = Registration.objects.get()
    assert (registration.unit, registration.created_by, registration.programme.code) == (unit, admin_user,
                                                                                          "nq12_commune")
    page = client.post(url, {"unit": ward.pk, "year": 2024, "note": ""}, follow=True).content.decode()
    assert "không thuộc đối tượng của chương trình nào" in page
    assert Registration.objects.count() == 1
    # A decision dated in the future, or with a scan that is not a PDF/image, is refused and nothing is saved.
    url = reverse("admin:assessments_recognition_add")
    data = {"unit": unit.pk, "level": 1, "decision_number": "9/QĐ", "decision_date": "15/12/2030",
            "issued_by": "UBND huyện", "revoke_reason": ""}
    assert client.post(url, data).status_code == 200
    data["decision_date"] = "15/12/2024"
    from django.core.files.uploadedfile import SimpleUploadedFile
    data["scan"] = SimpleUploadedFile("qd.pdf", b"<html><script>x</script></html>", content_type="application/pdf")
    assert client.post(url, data).status_code == 200
    assert not Recognition.objects.exists()


def test_a_copy_is_a_draft_until_published_and_one_set_is_in_force_per_year(client, admin_user, data):
    from assessments import services
    from assessments.models import Criterion

    criteria_set, unit = data
    client.force_login(admin_user)
    changelist = reverse("admin:assessments_criteriaset_changelist")
    client.post(changelist, {"action": "copy_as_new_version", "_selected_action": [criteria_set.pk]})
    copy = CriteriaSet.objects.exclude(pk=criteria_set.pk).get()
    assert not copy.published
    # Officers keep starting on the published set: the unedited copy is not in force.
    assert services.criteria_set_for(criteria_set.programme, 2026) == criteria_set
    # Publishing with the original's years would run one year on two sets: refused, nothing changes.
    page = client.post(changelist, {"action": "publish", "_selected_action": [copy.pk]}, follow=True)
    assert "mỗi năm chỉ có một bộ tiêu chí" in page.content.decode()
    copy.refresh_from_db()
    assert not copy.published
    # From 2027: published, and the old set now ends in 2026 (closed, not rewritten).
    CriteriaSet.objects.filter(pk=copy.pk).update(valid_from_year=2027)
    Criterion.objects.filter(criteria_set=copy, number=16).update(title="Tiêu chí 16 (bản 2027)")
    client.post(changelist, {"action": "publish", "_selected_action": [copy.pk]})
    copy.refresh_from_db()
    criteria_set.refresh_from_db()
    assert copy.published and criteria_set.valid_to_year == 2026
    assert services.criteria_set_for(criteria_set.programme, 2026) == criteria_set
    assert services.criteria_set_for(criteria_set.programme, 2027) == copy


def test_criteria_of_a_set_in_use_are_frozen(client, admin_user, data):
    from assessments.models import Criterion

    criteria_set, _unit = data
    client.force_login(admin_user)
    response = client.post(reverse("admin:assessments_criterion_add"), {
        "criteria_set": criteria_set.pk, "number": 17, "title": "Tiêu chí 17", "wording": "Thêm", "evidence_guidance": ""})
    assert response.status_code == 200 and "không thể thêm hoặc sửa tiêu chí" in response.content.decode()
    assert criteria_set.criteria.count() == 16
    first = criteria_set.criteria.get(number=1)
    response = client.post(reverse("admin:assessments_criterion_changelist"),
                           {"action": "delete_selected", "_selected_action": [first.pk], "post": "yes"})
    assert Criterion.objects.filter(pk=first.pk).exists()
    assert client.get(reverse("admin:assessments_criterion_change", args=[first.pk])).status_code in (200, 403)
    response = client.post(reverse("admin:assessments_criterion_change", args=[first.pk]), {
        "criteria_set": criteria_set.pk, "number": 1, "title": "Đổi", "wording": "Đổi", "evidence_guidance": ""})
    first.refresh_from_db()
    assert first.title != "Đổi"
