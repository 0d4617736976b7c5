"""No 500 from any query parameter (issue 18): every URL of the report, completeness, data, notification,
jobs, assessment and API apps × every parameter it reads × every bad value.

The URLs come from the URLconf: a URL of these apps missing from the tables below fails the test, so a new
page is covered when it is added. A page's query parameters are listed by hand (grep `request.GET`); the
API's are read from its views (`params_class`, and `limit`/`offset` on a list). The path's own parts (an id,
a code) are parameters too. A URL that reads none is given a stray `year` it must ignore.

Each bad value must answer 400, 404 or 405 (never 500), or a page no bigger and no dearer than the same
page without the parameter: the same number of queries or fewer, so a far year (2100, 99999) costs what the
default year costs. Signed in as the role that can see the page. Run on PostgreSQL too (CI does): it
refuses a NUL that SQLite accepts.
"""

from __future__ import annotations

import datetime
import functools
import uuid
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from rest_framework.generics import ListAPIView

from assessments import services
from data_exchange.models import PendingImport
from jobs.models import Job, State
from jobs.models import Kind as JobKind
from tests import factories
from tests.assessments import files
from tests.conftest import record

APPS = ("reports", "data_exchange", "notifications", "jobs", "assessments", "api")

BAD_VALUES = {
    "nul": "\x00",
    "overlong": "9" * 5000,  # 5,000 characters, and a number too long for int()
    "not_a_number": "abc",
    "unknown_code": "khong-co-ma-nay",
    "negative": "-1",
    "year_2100": "2100",
    "year_99999": "99999",
    "year_0": "0",
}
ANSWERS = {200, 302, 400, 404, 405}
STRAY = "year"  # given to a URL that reads no parameter: it must be ignored


@dataclass(frozen=True)
class Page:
    role: str
    params: tuple[str, ...] = ()
    kwargs: object = None  # world → the path's arguments
    answers: frozenset = frozenset({200, 302})  # without the bad value


POST = frozenset({405})  # a GET of a form's address: refused before any parameter is read


REPORT = ("programme", "year", "figures")
COMPLETENESS = ("programme", "year", "as_of")

PAGES: dict[str, Page] = {
    "reports:progress": Page("province", REPORT),
    "reports:progress_json": Page("province", REPORT),
    "reports:progress_xlsx": Page("province", REPORT),
    "reports:progress_docx": Page("province", REPORT),
    "reports:units_csv": Page("province", ("district", *REPORT)),
    "reports:criteria": Page("province", ("district", *REPORT)),
    "reports:district": Page("province", REPORT, lambda w: {"code": w.district.code}),
    "reports:current": Page("province", REPORT),
    "reports:national": Page("national", ("year", "sort")),
    "reports:national_json": Page("national", ("year",)),
    "reports:national_xlsx": Page("national", ("year",)),
    "reports:unit": Page("province", (), lambda w: {"pk": w.unit.pk}),
    "reports:trends": Page("province", REPORT),
    "reports:map": Page("province", (*REPORT, "view")),
    "reports:completeness": Page("province", (*COMPLETENESS, "sort")),
    "reports:completeness_json": Page("province", COMPLETENESS),
    "reports:completeness_csv": Page("province", COMPLETENESS),
    "data_exchange:import": Page("province"),
    "data_exchange:template": Page("province", ("template-kind", "template-year")),
    "data_exchange:export": Page("province", ("export-kind", "export-format", "export-year")),
    "data_exchange:preview": Page("province", (), lambda w: {"pk": w.pending.pk}),
    "data_exchange:confirm": Page("province", (), lambda w: {"pk": w.pending.pk}, POST),
    "notifications:list": Page("officer"),
    "jobs:list": Page("province"),
    "jobs:detail": Page("province", (), lambda w: {"pk": w.job.pk}),
    "jobs:status": Page("province", (), lambda w: {"pk": w.job.pk}),
    "jobs:download": Page("province", (), lambda w: {"pk": w.job.pk}),
    "jobs:retry": Page("province", (), lambda w: {"pk": w.job.pk}, POST),
    "assessments:officer_home": Page("officer"),
    "assessments:service_worker": Page("officer"),
    "assessments:assessment_start": Page("officer", answers=POST),
    "assessments:assessment_detail": Page("officer", ("timeline",), lambda w: {"pk": w.draft.pk}),
    "assessments:criterion_save": Page("officer", (), lambda w: {"pk": w.draft.pk}, POST),
    "assessments:evidence_upload": Page("officer", (), lambda w: {"pk": w.draft.pk, "criterion_id": w.criterion.pk},
                                        POST),
    "assessments:assessment_prefill": Page("officer", (), lambda w: {"pk": w.draft.pk}, POST),
    "assessments:assessment_recall": Page("officer", (), lambda w: {"pk": w.submitted.pk}, POST),
    "assessments:assessment_review": Page("reviewer", ("timeline",), lambda w: {"pk": w.submitted.pk}),
    "assessments:assessment_review_start": Page("reviewer", (), lambda w: {"pk": w.submitted.pk}, POST),
    "assessments:assessment_reopen": Page("admin", (), lambda w: {"pk": w.verified.pk}, POST),
    "assessments:evidence_download": Page("officer", (), lambda w: {"pk": w.evidence.pk}),
    "assessments:evidence_delete": Page("officer", (), lambda w: {"pk": w.evidence.pk}, POST),
    "assessments:reviewer_inbox": Page("reviewer", ("year",)),
    "assessments:recognition_list": Page("reviewer"),
    "assessments:recognition_create": Page("reviewer", answers=POST),
    "assessments:recognition_revoke": Page("reviewer", (), lambda w: {"pk": w.recognition.pk}, POST),
    "assessments:recognition_scan": Page("reviewer", (), lambda w: {"pk": w.recognition.pk}),
    "assessments:registration_list": Page("reviewer"),
    "assessments:registration_create": Page("reviewer", answers=POST),
    "assessments:registration_delete": Page("reviewer", (), lambda w: {"pk": w.registration.pk}, POST),
}

# The API reads its parameters through its views (`params_class`); only the path and the role are said here.
API: dict[str, Page] = {
    "api:schema": Page("admin"),
    "api:docs": Page("admin"),
    "api:province_list": Page("admin"),
    "api:province_detail": Page("admin", (), lambda w: {"pk": w.unit.province.pk}),
    "api:unit_list": Page("admin"),
    "api:unit_detail": Page("admin", (), lambda w: {"pk": w.unit.pk}),
    "api:programme_list": Page("admin"),
    "api:programme_detail": Page("admin", (), lambda w: {"code": w.programme.code}),
    "api:programme_frame": Page("admin", (), lambda w: {"code": w.programme.code}),
    "api:criteria_set_list": Page("admin"),
    "api:criteria_set_detail": Page("admin", (), lambda w: {"pk": w.criteria_set.pk}),
    "api:assessment_list": Page("admin"),
    "api:assessment_detail": Page("admin", (), lambda w: {"pk": w.verified.pk}),
    "api:assessment_result": Page("admin", (), lambda w: {"pk": w.verified.pk}, POST),
    "api:assessment_submit": Page("admin", (), lambda w: {"pk": w.draft.pk}, POST),
    "api:assessment_return": Page("admin", (), lambda w: {"pk": w.submitted.pk}, POST),
    "api:assessment_verify": Page("admin", (), lambda w: {"pk": w.submitted.pk}, POST),
    "api:recognition_list": Page("admin"),
    "api:recognition_detail": Page("admin", (), lambda w: {"pk": w.recognition.pk}),
    "api:recognition_revoke": Page("admin", (), lambda w: {"pk": w.recognition.pk}, POST),
    "api:registration_list": Page("admin"),
    "api:model_type_list": Page("admin"),
    "api:model_count_list": Page("admin"),
    "api:progress": Page("admin"),
    "api:completeness": Page("admin"),
    "api:national": Page("admin"),
    "api:trends": Page("admin"),
    "api:not_found": Page("admin", answers=frozenset({404})),  # anything else under /api/
}


def url_names(resolver=None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    """(namespaced name, pattern) of every named URL of APPS in the URLconf."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            found += url_names(entry, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
        elif entry.name and prefix.split(":")[0] in APPS:
            found.append((prefix + entry.name, entry))
    return found


def api_params(pattern: URLPattern) -> tuple[str, ...]:
    """The query parameters an API view reads: its params_class's fields, and the pagination's on a list."""
    view = getattr(pattern.callback, "view_class", None)
    params = tuple(view.params_class().fields) if getattr(view, "params_class", None) else ()
    if view is not None and issubclass(view, ListAPIView):
        params += ("limit", "offset")
    return params


@functools.cache
def table() -> dict[str, Page]:
    pages = dict(PAGES)
    for name, pattern in url_names():
        if name in API:
            pages[name] = Page(API[name].role, api_params(pattern), API[name].kwargs, API[name].answers)
    return pages


def cases() -> list:
    out = []
    for name, page in table().items():
        params = page.params or (() if page.kwargs else (STRAY,))
        path_params = tuple(f"path:{k}" for k in _sample_kwargs(page))
        for param in (*params, *path_params):
            for label in BAD_VALUES:
                out.append(pytest.param(name, param, label, id=f"{name}-{param}-{label}"))
    return out


def _sample_kwargs(page: Page) -> dict:
    """The names of the path's arguments, without building the world (collection time)."""

    class Anything:
        def __getattr__(self, _name):
            return self

    return page.kwargs(Anything()) if page.kwargs else {}


def test_every_url_of_the_apps_is_in_the_table():
    names = {name for name, _pattern in url_names()}
    assert names, "no URL found: the walk of the URLconf is broken"
    missing = names - set(PAGES) - set(API)
    assert not missing, f"URLs without a row in tests/test_bad_parameters.py (PAGES or API): {sorted(missing)}"
    gone = (set(PAGES) | set(API)) - names
    assert not gone, f"rows for URLs that no longer exist: {sorted(gone)}"


# ---------------------------------------------------------------- one world for the whole module


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = factories.enrol_two_factor(user).persistent_id  # the second step is done
    session.save()
    return session.session_key


def _build() -> SimpleNamespace:
    w = SimpleNamespace()
    w.criteria_set = factories.CriteriaSetFactory()
    w.programme = w.criteria_set.programme
    factories.TargetFactory(programme=w.programme)
    w.district = factories.DistrictFactory(province=w.programme.territory_province)
    w.unit = factories.UnitFactory(district=w.district)
    admin = factories.administrator()
    users = {
        "officer": factories.officer(w.unit),
        "reviewer": factories.reviewer(w.district),
        "province": factories.province_viewer(w.unit.province),
        "national": factories.UserFactory(role="national_viewer"),
        "admin": admin,
    }
    w.verified = record(w.unit, 2024, 16)
    w.submitted = record(w.unit, 2025, 12, stage="self")
    w.draft = services.assessment_get_or_create(unit=w.unit, year=2026, actor=users["officer"])
    w.criterion = w.draft.results.first().criterion
    w.evidence = services.evidence_add(result=w.draft.results.first(), actor=users["officer"],
                                       upload=files.upload("minh-chung.pdf", files.PDF))
    w.recognition = services.recognition_create(
        unit=w.unit, level=1, decision_number="1/QĐ-UBND", decision_date=datetime.date(2024, 6, 1),
        issued_by="UBND huyện", actor=admin, scan=files.upload("qd.pdf", files.PDF))
    w.registration = factories.RegistrationFactory(unit=w.unit, year=2026)
    w.job = Job.objects.create(owner=users["province"], kind=JobKind.PROGRESS_XLSX, title="Báo cáo thử",
                               state=State.DONE, result_name="bao-cao.xlsx")
    w.job.result.save("bao-cao.xlsx", ContentFile(files.XLSX))
    w.pending = PendingImport.objects.create(user=users["province"], kind="assessments", file_name="du-lieu.xlsx",
                                             checked_at=timezone.now())  # checked: its preview shows
    w.sessions = {role: _session(user) for role, user in users.items()}
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once and rolled back at the end of the module; each test runs in its own savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


def _get(world, role: str, url: str):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    cache.clear()  # both requests start cold: a cached page would hide the cost of the bad one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    body = b"" if response.streaming else response.content
    return response, len(queries), body


def _urls(world, name: str, page: Page, param: str, value: str) -> tuple[str, str]:
    """(the URL without the bad value, the URL with it)."""
    kwargs = page.kwargs(world) if page.kwargs else {}
    good = reverse(name, kwargs=kwargs)
    if param.startswith("path:"):
        key = param.removeprefix("path:")
        marker = {int: 918273645, str: "marker-918273645", uuid.UUID: uuid.UUID(int=918273645)}[type(kwargs[key])]
        template = reverse(name, kwargs={**kwargs, key: marker})
        return good, template.replace(str(marker), quote(value, safe=""))
    return good, f"{good}?{param}={quote(value, safe='')}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "param", "label"), cases())
def test_a_bad_parameter_is_not_a_500(world, name, param, label):
    page = table()[name]
    value = BAD_VALUES[label]
    good_url, bad_url = _urls(world, name, page, param, value)
    good, good_queries, good_body = _get(world, page.role, good_url)
    # The page is one this role may see (else the bad value would only meet a 403).
    assert good.status_code in page.answers, (good_url, good.status_code)
    bad, bad_queries, bad_body = _get(world, page.role, bad_url)

    assert bad.status_code in ANSWERS, (bad_url[:200], bad.status_code)
    if bad.status_code == 302:
        assert not bad["Location"].startswith(settings.LOGIN_URL), "signed out by a bad value"
    if bad.status_code == 400 and bad["Content-Type"].startswith("text/html"):
        assert "Yêu cầu không hợp lệ" in bad.content.decode(), "a 400 page that is not the portal's"
    if bad.status_code == 200:
        # Bounded: no dearer than the page without the parameter (a far year costs what the default costs),
        # and no bigger but for the value quoted back in a link or two.
        assert bad_queries <= good_queries, f"{bad_queries} queries with {label}, {good_queries} without"
        assert len(bad_body) <= len(good_body) + 3 * len(quote(value)) + 20_000
