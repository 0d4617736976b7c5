"""The admin is Vietnamese throughout: Django's, django-axes' and django-simple-history's own strings
(locale/thirdparty supplies what their catalogues lack), the change history's values, and the programme's
yearly calendar edited as a day and a month."""

import re
from pathlib import Path

import django
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

from assessments.models import Programme
from tests import factories

pytestmark = pytest.mark.django_db

SITE = Path(django.__file__).resolve().parents[1]
DJANGO_CATALOGUES = [SITE / "django" / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po"] + [
    SITE / "django" / "contrib" / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
    for app in ("admin", "auth", "contenttypes", "sessions")
]
# Not words: the same in every language.
SAME_IN_VIETNAMESE = {", ", "…", ":", ":?.!", "IPv4", "IPv6", "%s KB", "%s MB", "%s GB", "%s TB", "%s PB",
                      "%(size)d byte", "%(truncated_text)s…", "%(class_name)s %(instance)s"}
# Django's own pages the portal never shows (no such app, or DEBUG's welcome page).
NOT_SHOWN = re.compile(r"^(Afrikaans|Algerian|Asturian|Central Kurdish|Lower Sorbian|English|British English|"
                       r"Argentinian|Colombian|Mexican|Scottish|Upper Sorbian|Haitian|Armenian|Igbo|Ido|Georgian|"
                       r"Kabyle|Kyrgyz|Marathi|Malay|Norwegian|Punjabi|Brazilian|Serbian Latin|Telugu|Tajik|"
                       r"Turkmen|Udmurt|Uyghur|Urdu|Uzbek|Messages|Syndication|The install worked|View <a|"
                       r"You are seeing this page because|Django Documentation|Topics, references|"
                       r"Tutorial: A Polling|Get started with Django|Django Community|Connect, get help)")


def po_entries(path: Path):
    """(context, msgid, plural) of every entry of a .po file."""
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "msgid " not in block or block.lstrip().startswith("#~"):
            continue

        def field(name, block=block):
            m = re.search(rf'^{name} ((?:".*"\n?)+)', block, re.M)
            return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))).encode().decode("unicode_escape").encode(
                "latin-1").decode("utf-8") if m else None

        msgid = field("msgid")
        if msgid:
            yield field("msgctxt"), msgid, field("msgid_plural")


def package_msgids(package: str):
    """The strings a package marks for translation in its Python code and templates."""
    root = SITE / package
    for path in root.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        yield from re.findall(r'\b_\(\s*"([^"\n]+)"\s*\)', path.read_text(encoding="utf-8"))
    for path in root.rglob("*.html"):
        yield from re.findall(r'{% trans(?:late)? [\'"]([^\'"]+)[\'"] %}', path.read_text(encoding="utf-8"))


def untranslated(entries) -> list:
    missing = []
    with translation.override("vi"):
        for ctxt, msgid, plural in entries:
            if msgid in SAME_IN_VIETNAMESE or NOT_SHOWN.match(msgid):
                continue
            if plural:
                text = npgettext(ctxt, msgid, plural, 1) if ctxt else ngettext(msgid, plural, 1)
            else:
                text = pgettext(ctxt, msgid) if ctxt else gettext(msgid)
            if text == msgid:
                missing.append(msgid)
    return missing


def test_django_admin_auth_and_form_strings_have_vietnamese():
    entries = [e for path in DJANGO_CATALOGUES for e in po_entries(path)]
    assert len(entries) > 300
    assert untranslated(entries) == []


@pytest.mark.parametrize("package", ["axes", "simple_history"])
def test_axes_and_history_strings_have_vietnamese(package):
    msgids = sorted(set(package_msgids(package)))
    assert len(msgids) > 15
    assert untranslated([(None, m, None) for m in msgids]) == []
    with translation.override("vi"):
        assert ngettext("entry", "entries", 2) == "mục"  # simple-history's count under the list


ENGLISH = ["Please correct", "Changed by", "Change reason", "Comment", "Created", "None", "entries", "Access attempt",
           "Access log", "Access failure", "Locked Out", "Choose a date", "IP Address", "User Agent", "Axes",
           "History", "Revert"]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def english_on(page) -> list[str]:
    text = visible_text(page.content.decode())
    return [word for word in ENGLISH if re.search(rf"\b{word}\b", text)]


def programme_form(programme: Programme, **changes) -> dict:
    data = {
        "code": programme.code, "name": programme.name, "unit_kinds": '["xa", "thi_tran"]',
        "resolution_number": programme.resolution_number, "resolution_date": "27/06/2022",
        "resolution_issuer": "", "resolution_text": "", "territory_province": programme.territory_province_id,
        "territory_district": "", "first_year": 2022, "last_year": 2030, "is_default": "on",
        "window_start_day": 16, "window_start_month": 11, "window_end_day": 15, "window_end_month": 11,
        "commune_deadline_day": 30, "commune_deadline_month": 11, "district_deadline_day": 15,
        "district_deadline_month": 12,
        "years-TOTAL_FORMS": 0, "years-INITIAL_FORMS": 0, "years-MIN_NUM_FORMS": 0, "years-MAX_NUM_FORMS": 1000,
    }
    data.update(changes)
    return data


def test_the_calendar_is_edited_as_day_and_month_and_stored_as_before(client, admin_user, criteria_set):
    programme = criteria_set.programme
    client.force_login(admin_user)
    url = reverse("admin:assessments_programme_change", args=[programme.pk])
    page = client.get(url).content.decode()
    # Two selects per calendar field, labelled, showing the stored 11-30 as 30 / 11.
    assert re.search(r'<label for="id_commune_deadline_0">ngày</label>\s*<select name="commune_deadline_day"', page)
    assert '<label for="id_commune_deadline_1">tháng</label>' in page
    assert re.search(r'name="commune_deadline_month"[^>]*>.*?<option value="11" selected>', page, re.S)
    assert re.search(r'name="commune_deadline_day"[^>]*>.*?<option value="30" selected>', page, re.S)
    assert 'name="commune_deadline"' not in page  # no MM-DD text box any more

    response = client.post(url, programme_form(programme, commune_deadline_day=1, commune_deadline_month=12))
    assert response.status_code == 302, response.content.decode()[:2000]
    programme.refresh_from_db()
    assert programme.commune_deadline == "12-01"
    history = client.get(reverse("admin:assessments_programme_history", args=[programme.pk]))
    assert "30/11 → 01/12" in visible_text(history.content.decode())
    assert english_on(history) == []


def test_an_impossible_day_is_refused_in_vietnamese_and_changes_nothing(client, admin_user, criteria_set):
    programme = criteria_set.programme
    client.force_login(admin_user)
    url = reverse("admin:assessments_programme_change", args=[programme.pk])
    response = client.post(url, programme_form(programme, district_deadline_day=31, district_deadline_month=2))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Vui lòng sửa lỗi bên dưới." in text and "Ngày 31/2 không có trong năm." in text
    assert english_on(response) == []
    programme.refresh_from_db()
    assert programme.district_deadline == "12-15"


def test_axes_pages_and_the_admin_calendar_script_are_vietnamese(client, admin_user, criteria_set):
    client.force_login(admin_user)
    index = client.get(reverse("admin:index"))
    assert "Khóa đăng nhập sai nhiều lần" in index.content.decode() and english_on(index) == []
    for name in ("accessattempt", "accesslog", "accessfailurelog"):
        page = client.get(reverse(f"admin:axes_{name}_changelist"))
        assert page.status_code == 200 and english_on(page) == [], (name, english_on(page))
    year_page = client.get(reverse("admin:assessments_programmeyear_add"))
    assert english_on(year_page) == []
    script = client.get(reverse("admin:jsi18n")).content.decode()
    assert "Ch\\u1ee7 nh\\u1eadt" in script or "Chủ nhật" in script  # the date picker's Sunday


def test_a_reviewer_without_a_district_is_not_called_a_district_reviewer(client, criteria_set, district):
    province_reviewer = factories.province_reviewer(criteria_set.programme.territory_province, username="td_tinh")
    client.force_login(province_reviewer)
    page = visible_text(client.get(reverse("accounts:account")).content.decode())
    assert "Cán bộ thẩm định" in page and "cấp huyện" not in page
    client.force_login(factories.reviewer(district, username="td_huyen"))
    assert "Cán bộ thẩm định cấp huyện" in client.get(reverse("accounts:account")).content.decode()
