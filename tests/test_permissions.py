"""The permission matrix: every URL of the assessments app × role × own/other scope → status.

Outside the scope → 404, inside but not allowed → 403, anonymous → login page (DESIGN §4).
Form posts that are allowed end in a redirect (302); a unit outside the scope offered in a
form's choice field is bad input (400) — it never gets as far as a service.
"""

import datetime

import pytest
from django.urls import reverse

from assessments import services
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
    ("assessment_start", "post", lambda w, s: reverse("assessments:assessment_start"), lambda w, s: {"year": 2026},
     {"officer": (302, 302), "reviewer": (403, 403), "province": (403, 403), "admin": (403, 403)}),
    ("assessment_detail", "get", lambda w, s: reverse("assessments:assessment_detail", args=[_o(w, s, "submitted").pk]),
     None, {"officer": (200, 404), "reviewer": (200, 404), "province": (200, 200), "admin": (200, 200)}),
    ("assessment_detail_draft", "get", lambda w, s: reverse("assessments:assessment_detail", args=[_o(w, s, "draft").pk]),
     None, {"officer": (200, 404), "reviewer": (200, 404), "province": (200, 200), "admin": (200, 200)}),
    ("assessment_save", "post", lambda w, s: reverse("assessments:assessment_detail", args=[_o(w, s, "draft").pk]),
     lambda w, s: {"version": _o(w, s, "draft").version, "action": "save"},
     {"officer": (302, 404), "reviewer": (403, 404), "province": (403, 403), "admin": (403, 403)}),
    ("assessment_review", "get", lambda w, s: reverse("assessments:assessment_review", args=[_o(w, s, "submitted").pk]),
     None, {"officer": (403, 404), "reviewer": (200, 404), "province": (403, 403), "admin": (200, 200)}),
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

CASES = []
for name, method, url, data, expected in ENDPOINTS:
    for role in ROLES:
        for index, scope in enumerate(("own", "other")):
            status = LOGIN if role == "anonymous" else expected[role][index]
            CASES.append(pytest.param(method, url, data, role, scope, status, id=f"{name}-{method}-{role}-{scope}"))


def test_every_endpoint_is_in_the_matrix():
    from assessments.urls import urlpatterns

    covered = {reverse_name for reverse_name in (
        "officer_home", "assessment_start", "assessment_detail", "assessment_review", "assessment_reopen",
        "evidence_download", "evidence_delete", "reviewer_inbox", "recognition_list", "recognition_create",
        "recognition_revoke", "recognition_scan", "registration_list", "registration_create", "registration_delete",
    )}
    assert {p.name for p in urlpatterns} == covered


@pytest.mark.parametrize("method,url,data,role,scope,expected", CASES)
def test_permission_matrix(client, unit, other_unit, officer_user, reviewer_user, province_user, admin_user,
                           method, url, data, role, scope, expected):
    world = World(unit, other_unit, admin_user)
    users = {"officer": officer_user, "reviewer": reviewer_user, "province": province_user, "admin": admin_user}
    if role != "anonymous":
        client.force_login(users[role])
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
