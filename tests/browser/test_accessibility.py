"""WCAG 2.1 AA: axe-core (npm, pinned in package.json, injected only here — never served by the app) on every
page of every role at 375 and 1280 px must find no serious or critical violation."""

from pathlib import Path

import pytest

from assessments import services
from assessments.models import Assessment, Status
from tests import factories
from tests.reports.conftest import scenario  # noqa: F401  (the hand-computed province, reused)

from . import signin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (375, 1280)
RUN_AXE = """async () => {
  // Folded sections (the recognition form, evidence guidance) are checked open.
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  const result = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                                          resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def role_pages(u):
    draft = Assessment.objects.get(unit=u["uDraft"], status=Status.DRAFT)
    submitted = Assessment.objects.get(unit=u["uSub"], status=Status.SUBMITTED)
    district = u["A"].code
    officer = factories.officer(u["uDraft"], username="a11y_xa")
    reviewer = factories.reviewer(u["A"], username="a11y_huyen")
    # The review form as the reviewer works in it (a GET alone shows it read-only: tests/browser/test_two_factor.py).
    services.assessment_review_start(assessment=submitted, actor=reviewer)
    province = factories.province_viewer(username="a11y_tinh")
    admin = factories.administrator(username="a11y_admin")
    reports = ["/reports/?year=2025", "/reports/criteria/?year=2025", f"/reports/districts/{district}/?year=2025",
               f"/reports/units/{u['a16'].pk}/", "/reports/current/?year=2025"]
    return [
        (officer, ["/assessments/", f"/assessments/{draft.pk}/", f"/reports/units/{u['uDraft'].pk}/"]),
        (reviewer, ["/assessments/review/?year=2025", f"/assessments/{submitted.pk}/review/",
                    f"/assessments/{submitted.pk}/", "/assessments/recognitions/", "/assessments/registrations/",
                    f"/reports/districts/{district}/?year=2025", "/reports/current/?year=2025", "/data/"]),
        (province, [*reports, "/assessments/recognitions/", "/assessments/registrations/", "/data/"]),
        (admin, [*reports, "/assessments/review/?year=2025", "/data/"]),
    ]


def test_every_page_of_every_role_has_no_serious_axe_violation(browser, live_server, scenario):  # noqa: F811
    assert AXE.exists(), "npm install (axe-core is a pinned devDependency)"
    found = []
    pages = 0
    for user, paths in role_pages(scenario):
        for width in WIDTHS:
            # The app's CSP forbids inline scripts; only this test context may inject axe.
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN",
                                          base_url=live_server.url, bypass_csp=True)
            try:
                page = context.new_page()
                signin.prepare(user)
                page.goto("/accounts/login/")
                page.fill("input[name=username]", user.username)
                page.fill("input[name=password]", factories.PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state()
                signin.second_step(page)
                for path in paths:
                    response = page.goto(path)
                    assert response.status == 200, (user.username, path, response.status)
                    page.add_script_tag(path=str(AXE))
                    for violation in page.evaluate(RUN_AXE):
                        if violation["impact"] in ("serious", "critical"):
                            found.append((user.username, width, path, violation["id"], violation["impact"],
                                          violation["help"], violation["targets"]))
                    pages += 1
            finally:
                context.close()
    report = "\n".join(" | ".join(str(part) for part in row) for row in found)
    print(f"axe: {pages} page loads, {len(found)} serious/critical violations\n{report}")
    assert not found, f"{len(found)} serious/critical axe violations on {pages} page loads:\n{report}"
