"""The permission matrix: every URL of the assessments app × role × own/other scope → status.

Outside the scope → 404, inside but not allowed → 403, anonymous → login page (DESIGN §4).
Form posts that are allowed end in a redirect (302); a unit outside the scope offered in a
form's choice field is bad input (400) — it never gets as far as a service. Every POST's effect
on the data is checked too: done when allowed, nothing changed when refused (a refused action
that also answers 302 would otherwise pass).
"""

import datetime

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Evidence, Recognition, Registration, Status
from tests import factories
from tests.assessments import files
from tests.conftest import record

LOGIN = "login"
ROLES = ["anonymous", "officer", "reviewer", "province", "admin"]


class World:
    """The same set of objects in the user's own scope (`unit`) and in another district (`other_unit`)."""

    def __init__(self, unit, other_unit, admin):
        factories.CriteriaSetFactory()
        self.objects = {}
        for scope, u in (("own", unit), ("other", other_unit)):
            officer = factories.officer(u)
            verified = record(u, 2023, 16)
            submitted = record(u, 2024, 16, stage="self")
            draft = services.assessment_get_or_create(unit=u, year=2025, actor=officer)
            evidence = services.evidence_add(result=draft.results.first(), actor=officer,
                                             upload=files.upload("minh-chung.pdf", files.PDF))
            recognition = services.recognition_create(
                unit=u, level=1, decision_number=f"1/QĐ-{scope}", decision_date=datetime.date(2024, 6, 1),
                issued_by="UBND huyện", actor=admin, scan=files.upload("qd.pdf", files.PDF))
            registration = factories.RegistrationFactory(unit=u, year=2025)
            self.objects[scope] = dict(unit=u, verified=verified, submitted=submitted, draft=draft,
                                       evidence=evidence, recognition=recognition, registration=registration)


def _o(world, scope, name):
    return world.objects[scope][name]


# name, method, url(world, scope), data(world, scope), expected per role as (own, other)
ENDPOINTS = [
    ("officer_home", "get", lambda w, s: reverse("assessments:officer_home"), None,
     {"officer": (200, 200), "reviewer": (403, 403), "province": (403, 403), "admin": (403, 403)}),
    ("service_worker", "get", lambda w, s: reverse("assessments:service_worker"), None,
     {"officer": (200, 200), "reviewer": (200, 200), "province": (200, 200), "admin": (200, 200)}),
    ("assessment_start", "post", lambda w, s: reverse("assessments:assessment_start"), lambda w, s: {"year": 2026},
     {"officer": (302, 302), "reviewer": (403, 403), "province": (403, 403), "admin": (403, 403)}),
    ("assessment_detail", "get", lambda w, s: reverse("assessments:assessment_detail", args=[_o(w, s, "submitted").pk]),
     None, {"officer": (200, 404), "reviewer": (200, 404), "province": (200, 200), "admin": (200, 200)}),
    ("assessment_detail_draft", "get", lambda w, s: reverse("assessments:assessment_detail", args=[_o(w, s, "draft").pk]),
     None, {"officer": (200, 404), "reviewer": (200, 404), "province": (200, 200), "admin": (200, 200)}),
    ("assessment_save", "post", lambda w, s: reverse("assessments:assessment_detail", args=[_o(w, s, "draft").pk]),
     lambda w, s: {"version": _o(w, s, "draft").version, "action": "save"},
     {"officer": (302, 404), "reviewer": (403, 404), "province": (403, 403), "admin": (403, 403)}),
    ("criterion_save", "post", lambda w, s: reverse("assessments:criterion_save", args=[_o(w, s, "draft").pk]),
     lambda w, s: {"version": _o(w, s, "draft").version, "criterion": _first_criterion(w, s), "self_result": "met",
                   "note": "Đã lưu từng tiêu chí"},
     {"officer": (200, 404), "reviewer": (403, 404), "province": (403, 403), "admin": (403, 403)}),
    ("evidence_upload", "post",
     lambda w, s: reverse("assessments:evidence_upload", args=[_o(w, s, "draft").pk, _first_criterion(w, s)]),
     lambda w, s: {"file": files.upload("tung-tep.pdf", files.PDF)},
     {"officer": (201, 404), "reviewer": (403, 404), "province": (403, 403), "admin": (403, 403)}),
    ("assessment_prefill", "post", lambda w, s: reverse("assessments:assessment_prefill", args=[_o(w, s, "draft").pk]),
     lambda w, s: {"version": _o(w, s, "draft").version},
     {"officer": (302, 404), "reviewer": (403, 404), "province": (403, 403), "admin": (403, 403)}),
    ("assessment_recall", "post", lambda w, s: reverse("assessments:assessment_recall", args=[_o(w, s, "submitted").pk]),
     lambda w, s: {"version": _o(w, s, "submitted").version, "reason": "Quên đính kèm biên bản"},
     {"officer": (302, 404), "reviewer": (403, 404), "province": (403, 403), "admin": (403, 403)}),
    ("assessment_review", "get", lambda w, s: reverse("assessments:assessment_review", args=[_o(w, s, "submitted").pk]),
     None, {"officer": (403, 404), "reviewer": (200, 404), "province": (403, 403), "admin": (200, 200)}),
    ("assessment_review_start", "post",
     lambda w, s: reverse("assessments:assessment_review_start", args=[_o(w, s, "submitted").pk]), lambda w, s: {},
     {"officer": (403, 404), "reviewer": (302, 404), "province": (403, 403), "admin": (302, 302)}),
    ("assessment_review_post", "post",
     lambda w, s: reverse("assessments:assessment_review", args=[_o(w, s, "submitted").pk]),
     lambda w, s: {"version": _o(w, s, "submitted").version, "action": "save"},
     {"officer": (403, 404), "reviewer": (302, 404), "province": (403, 403), "admin": (302, 302)}),
    ("assessment_reopen", "post", lambda w, s: reverse("assessments:assessment_reopen", args=[_o(w, s, "verified").pk]),
     lambda w, s: {"version": _o(w, s, "verified").version, "reason": "Sai sót"},
     {"officer": (403, 404), "reviewer": (403, 404), "province": (403, 403), "admin": (302, 302)}),
    ("evidence_download", "get", lambda w, s: reverse("assessments:evidence_download", args=[_o(w, s, "evidence").pk]),
     None, {"officer": (200, 404), "reviewer": (200, 404), "province": (200, 200), "admin": (200, 200)}),
    ("evidence_delete", "post", lambda w, s: reverse("assessments:evidence_delete", args=[_o(w, s, "evidence").pk]),
     lambda w, s: {}, {"officer": (302, 404), "reviewer": (403, 404), "province": (403, 403), "admin": (403, 403)}),
    ("reviewer_inbox", "get", lambda w, s: reverse("assessments:reviewer_inbox"), None,
     {"officer": (403, 403), "reviewer": (200, 200), "province": (403, 403), "admin": (200, 200)}),
    ("recognition_list", "get", lambda w, s: reverse("assessments:recognition_list"), None,
     {"officer": (403, 403), "reviewer": (200, 200), "province": (200, 200), "admin": (200, 200)}),
    ("recognition_create", "post", lambda w, s: reverse("assessments:recognition_create"),
     lambda w, s: {"unit": _o(w, s, "unit").pk, "level": 1, "decision_number": "9/QĐ",
                   "decision_date": "2024-07-01", "issued_by": "UBND huyện"},
     {"officer": (403, 403), "reviewer": (302, 400), "province": (400, 400), "admin": (302, 302)}),
    ("recognition_revoke", "post",
     lambda w, s: reverse("assessments:recognition_revoke", args=[_o(w, s, "recognition").pk]),
     lambda w, s: {"revoked_on": "2025-01-01", "reason": "Vi phạm"},
     {"officer": (403, 404), "reviewer": (302, 404), "province": (403, 403), "admin": (302, 302)}),
    ("recognition_scan", "get",
     lambda w, s: reverse("assessments:recognition_scan", args=[_o(w, s, "recognition").pk]), None,
     {"officer": (200, 404), "reviewer": (200, 404), "province": (200, 200), "admin": (200, 200)}),
    ("registration_list", "get", lambda w, s: reverse("assessments:registration_list"), None,
     {"officer": (403, 403), "reviewer": (200, 200), "province": (200, 200), "admin": (200, 200)}),
    ("registration_create", "post", lambda w, s: reverse("assessments:registration_create"),
     lambda w, s: {"unit": _o(w, s, "unit").pk, "year": 2024},
     {"officer": (403, 403), "reviewer": (302, 400), "province": (302, 302), "admin": (302, 302)}),
    ("registration_delete", "post",
     lambda w, s: reverse("assessments:registration_delete", args=[_o(w, s, "registration").pk]), lambda w, s: {},
     {"officer": (403, 404), "reviewer": (302, 404), "province": (302, 302), "admin": (302, 302)}),
]

def _first_criterion(world, scope):
    return _o(world, scope, "draft").results.order_by("criterion__number").first().criterion_id


def _refreshed(world, scope, name):
    obj = _o(world, scope, name)
    return type(obj).objects.filter(pk=obj.pk).first()


# What each POST changes, read back from the database after the request.
EFFECTS = {
    "assessment_start": lambda w, s, user: Assessment.objects.filter(unit=user.unit, year=2026).exists()
    if user and user.unit_id else Assessment.objects.filter(year=2026).exists(),
    "assessment_save": lambda w, s, user: _refreshed(w, s, "draft").version > _o(w, s, "draft").version,
    "assessment_review_start": lambda w, s, user: _refreshed(w, s, "submitted").review_opened_at is not None,
    "assessment_review_post": lambda w, s, user: _refreshed(w, s, "submitted").version > _o(w, s, "submitted").version,
    "assessment_reopen": lambda w, s, user: _refreshed(w, s, "verified").status == Status.SUBMITTED,
    "criterion_save": lambda w, s, user: _o(w, s, "draft").results.filter(
        criterion_id=_first_criterion(w, s), note="Đã lưu từng tiêu chí", self_result="met").exists(),
    "evidence_upload": lambda w, s, user: Evidence.objects.filter(original_name="tung-tep.pdf").exists(),
    "assessment_prefill": lambda w, s, user: _o(w, s, "draft").results.filter(from_previous_year=True).exists(),
    "assessment_recall": lambda w, s, user: _refreshed(w, s, "submitted").status == Status.DRAFT,
    "evidence_delete": lambda w, s, user: not Evidence.objects.filter(pk=_o(w, s, "evidence").pk).exists(),
    "recognition_create": lambda w, s, user: Recognition.objects.filter(unit=_o(w, s, "unit"),
                                                                        decision_number="9/QĐ").exists(),
    "recognition_revoke": lambda w, s, user: _refreshed(w, s, "recognition").revoked_on is not None,
    "registration_create": lambda w, s, user: Registration.objects.filter(unit=_o(w, s, "unit"), year=2024).exists(),
    "registration_delete": lambda w, s, user: not Registration.objects.filter(
        pk=_o(w, s, "registration").pk).exists(),
}

CASES = []
for name, method, url, data, expected in ENDPOINTS:
    for role in ROLES:
        for index, scope in enumerate(("own", "other")):
            status = LOGIN if role == "anonymous" else expected[role][index]
            CASES.append(pytest.param(name, method, url, data, role, scope, status,
                                      id=f"{name}-{method}-{role}-{scope}"))


def test_every_endpoint_is_in_the_matrix():
    from django.urls import resolve

    from assessments.urls import urlpatterns

    world_free = {"officer_home", "service_worker", "assessment_start", "reviewer_inbox", "recognition_list", "recognition_create",
                  "registration_list", "registration_create"}
    # The URL names the matrix reaches, read from the matrix itself (not a hand-typed list).
    reached = set()
    for name, _method, url, _data, _expected in ENDPOINTS:
        if name in world_free:
            reached.add(resolve(url(None, "own")).url_name)
    reached |= {n for n, *_ in ENDPOINTS} & {p.name for p in urlpatterns}
    assert {p.name for p in urlpatterns} <= reached
    assert set(EFFECTS) == {name for name, method, *_ in ENDPOINTS if method == "post"}


@pytest.mark.parametrize("name,method,url,data,role,scope,expected", CASES)
def test_permission_matrix(client, unit, other_unit, officer_user, reviewer_user, province_user, admin_user,
                           name, method, url, data, role, scope, expected):
    world = World(unit, other_unit, admin_user)
    users = {"officer": officer_user, "reviewer": reviewer_user, "province": province_user, "admin": admin_user}
    user = users.get(role)
    if user is not None:
        client.force_login(user)
    path = url(world, scope)
    if method == "get":
        response = client.get(path)
    else:
        response = client.post(path, data(world, scope))
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, response.content.decode()[:2000]
        if expected == 302:
            assert not response["Location"].startswith(reverse("accounts:login"))
    if method == "post":
        done = EFFECTS[name](world, scope, user)
        # Allowed posts redirect (forms) or answer 200/201 (the page's JSON endpoints).
        assert done is (expected in (200, 201, 302)), f"{name} by {role} on {scope}: effect {done}, status {response.status_code}"
