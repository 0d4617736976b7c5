"""Every portal page state the accessibility (axe, in the browser) and HTML (Nu) checks visit, on the
hand-computed province of tests/reports/conftest.py: each role's pages, a form with errors and its error
summary, unread notifications, the wide tables, the map, the charts. One list, read by both checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from assessments import services
from assessments.models import Assessment, Result, Status
from notifications.models import Kind, Notification
from tests import factories
from tests.reports.conftest import Y


@dataclass
class People:
    officer: object
    reviewer: object
    province: object
    admin: object
    national: object
    draft: Assessment
    submitted: Assessment
    all: list = field(default_factory=list)


def people(u) -> People:
    officer = factories.officer(u["uDraft"], username="a11y_xa")
    reviewer = factories.reviewer(u["A"], username="a11y_huyen")
    province = factories.province_viewer(username="a11y_tinh")
    admin = factories.administrator(username="a11y_admin")
    national = factories.UserFactory(role="national_viewer", username="a11y_toanquoc")
    # Unread notifications: the list and the badge in the navigation.
    for text in ("Đánh giá năm 2025 của Xã uDraft đã bị trả lại. Lý do: thiếu minh chứng", "Nhắc hạn nộp"):
        Notification.objects.create(user=officer, kind=Kind.RETURNED, text=text, link="/assessments/")
    Notification.objects.create(user=reviewer, kind=Kind.REMINDER, text="Còn 3 ngày đến hạn thẩm định")
    p = People(officer, reviewer, province, admin, national,
               draft=Assessment.objects.get(unit=u["uDraft"], status=Status.DRAFT),
               submitted=Assessment.objects.get(unit=u["uSub"], status=Status.SUBMITTED))
    p.all = [officer, reviewer, province, admin, national]
    # The review form as the reviewer works in it (a GET alone shows it read-only: tests/browser/test_two_factor.py).
    services.assessment_review_start(assessment=p.submitted, actor=reviewer)
    return p


def pages(u, p: People) -> list[tuple[object | None, list[str]]]:
    """(user — None: signed out, the paths that user opens)."""
    district = u["A"].code
    reports = [f"/reports/?year={Y}", f"/reports/criteria/?year={Y}", f"/reports/districts/{district}/?year={Y}",
               f"/reports/units/{u['a16'].pk}/", f"/reports/current/?year={Y}", f"/reports/trends/?year={Y}",
               f"/reports/map/?year={Y}", f"/reports/map/?year={Y}&view=current", f"/reports/completeness/?year={Y}"]
    return [
        (None, ["/accounts/login/"]),
        (p.officer, ["/assessments/", f"/assessments/{p.draft.pk}/", f"/reports/units/{u['uDraft'].pk}/",
                     "/notifications/", "/accounts/me/", "/accounts/password/", f"/inventory/units/{u['uDraft'].pk}/{Y}/"]),
        (p.reviewer, [f"/assessments/review/?year={Y}", f"/assessments/{p.submitted.pk}/review/",
                      f"/assessments/{p.submitted.pk}/", "/assessments/recognitions/", "/assessments/registrations/",
                      f"/reports/districts/{district}/?year={Y}", f"/reports/current/?year={Y}",
                      f"/reports/completeness/?year={Y}", "/data/", "/notifications/"]),
        (p.province, [*reports, "/assessments/recognitions/", "/assessments/registrations/", "/data/"]),
        (p.admin, [*reports, f"/assessments/review/?year={Y}", "/data/"]),
        (p.national, [f"/reports/national/?year={Y}"]),
    ]


def submit_incomplete(p: People) -> dict:
    """The officer sends the draft up with criterion 1 left "not yet": the form comes back with its error summary."""
    data = {"version": p.draft.version, "action": "submit"}
    for r in p.draft.results.select_related("criterion"):
        data[f"c{r.criterion_id}_result"] = Result.NOT_YET if r.criterion.number == 1 else r.self_result
        data[f"c{r.criterion_id}_note"] = r.note
    return data


def form_errors(u, p: People) -> list[tuple[str, object | None, str, dict]]:
    """(name, user, path, POST data) of forms answered with their errors."""
    return [
        ("login-wrong-password", None, "/accounts/login/", {"username": p.officer.username, "password": "sai"}),
        ("submit-incomplete", p.officer, f"/assessments/{p.draft.pk}/", submit_incomplete(p)),
        ("return-without-reason", p.reviewer, f"/assessments/{p.submitted.pk}/review/",
         {"version": p.submitted.version, "action": "return", "reason": ""}),
        ("recognition-empty", p.reviewer, "/assessments/recognitions/new/", {}),
        ("password-mismatch", p.officer, "/accounts/password/",
         {"old_password": "sai", "new_password1": "a", "new_password2": "b"}),
    ]
