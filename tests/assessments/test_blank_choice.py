"""The empty choice of the pickers is Vietnamese on Vietnamese pages (Django 6.1 has no translation)."""

from django.urls import reverse
from django.utils import translation


def test_recognition_form_unit_picker_is_vietnamese(client, reviewer_user, criteria_set):
    client.force_login(reviewer_user)
    page = client.get(reverse("assessments:recognition_list")).content.decode()
    assert "- Select an option -" not in page
    assert "– Chọn –" in page


def test_english_keeps_djangos_label():
    from django.db.models.fields import BLANK_CHOICE_LABEL

    with translation.override("en"):
        assert str(BLANK_CHOICE_LABEL) == "- Select an option -"
    with translation.override("vi"):
        assert str(BLANK_CHOICE_LABEL) == "– Chọn –"
