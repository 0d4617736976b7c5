"""WCAG 2.1 AA: axe-core (npm, pinned in package.json, injected only here — never served by the app) on every
page state of every role at 375 and 1280 px must find no serious or critical violation."""

from pathlib import Path

import pytest

from tests import factories
from tests.page_states import form_errors, pages, people
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


POST_FROM_PAGE = """([path, data]) => {
  // The form the page would send, sent by the browser itself (its cookies, its CSRF token): the answer is
  // rendered and checked like any page.
  const form = document.createElement("form");
  form.method = "post";
  form.action = path;
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  const fields = Object.assign({csrfmiddlewaretoken: token ? token.value : ""}, data);
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement("input");
    input.type = "hidden"; input.name = name; input.value = value;
    form.appendChild(input);
  }
  document.body.appendChild(form);
  form.submit();
}"""


def check(page, found, who, width, label):
    page.add_script_tag(path=str(AXE))
    for violation in page.evaluate(RUN_AXE):
        if violation["impact"] in ("serious", "critical"):
            found.append((who, width, label, violation["id"], violation["impact"], violation["help"],
                          violation["targets"]))


def sign_in(page, user):
    page.goto("/accounts/login/")
    if user is None:
        return
    signin.prepare(user)
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    signin.second_step(page)


@pytest.mark.parametrize("width", WIDTHS)  # one test per width, so parallel workers share the sweep
def test_every_page_state_of_every_role_has_no_serious_axe_violation(browser, live_server, scenario, width):  # noqa: F811
    """Each role's pages, a form with errors and its error summary, unread notifications and the wide tables
    (tests/page_states.py, the same states the Nu checker reads) at 375 and 1280 px."""
    assert AXE.exists(), "npm install (axe-core is a pinned devDependency)"
    p = people(scenario)
    visits = [(user, [("GET", path, None) for path in paths]) for user, paths in pages(scenario, p)]
    for _name, user, path, data in form_errors(scenario, p):
        visits.append((user, [("POST", path, {k: str(v) for k, v in data.items()})]))
    found, states = [], 0
    for user, steps in visits:
        who = getattr(user, "username", "anonymous")
        # The app's CSP forbids inline scripts; only this test context may inject axe.
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN",
                                      base_url=live_server.url, bypass_csp=True)
        try:
            page = context.new_page()
            sign_in(page, user)
            for method, path, data in steps:
                if method == "GET":
                    response = page.goto(path)
                    assert response.status == 200, (who, path, response.status)
                else:
                    with page.expect_navigation():
                        page.evaluate(POST_FROM_PAGE, [path, data])
                check(page, found, who, width, f"{method} {path}")
                states += 1
        finally:
            context.close()
    report = "\n".join(" | ".join(str(part) for part in row) for row in found)
    print(f"axe: {states} page states, {len(found)} serious/critical violations\n{report}")
    assert states >= 45  # 94 over the two widths
    assert not found, f"{len(found)} serious/critical axe violations on {states} page states:\n{report}"
