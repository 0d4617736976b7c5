import datetime
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def render(source, **context):
    return Template("{% load i18n %}" + source).render(Context(context))


def test_dates_are_dd_mm_yyyy_in_both_languages():
    day = datetime.date(2022, 6, 27)
    for language in ("vi", "en"):
        with translation.override(language):
            assert render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=day) == "27/06/2022"
            assert render("{{ d }}", d=day) == "27/06/2022"


def test_english_catalogue_translates_the_layout():
    with translation.override("en"):
        assert render('{% translate "Đăng xuất" %}') == "Sign out"
    with translation.override("vi"):
        assert render('{% translate "Đăng xuất" %}') == "Đăng xuất"


def test_every_catalogue_is_complete():
    """No empty or fuzzy entry in any vi or en catalogue of the project."""
    problems = []
    for po in sorted(ROOT.glob("**/locale/*/LC_MESSAGES/django.po")):
        if ".venv" in po.parts or "node_modules" in po.parts:
            continue
        text = po.read_text(encoding="utf-8")
        for entry in text.split("\n\n")[1:]:
            if "#, fuzzy" in entry:
                problems.append(f"{po}: fuzzy: {entry[:80]}")
            if entry.rstrip().endswith('msgstr ""'):
                problems.append(f"{po}: empty: {entry[:80]}")
    assert problems == []
