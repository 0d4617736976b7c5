"""An officer makes an API token on the account page and opens the API docs: Swagger UI from the app's
own files renders under the portal's CSP, with no console error, and the token answers."""

import pytest

from tests import factories

from .test_accessibility import AXE, RUN_AXE
from .test_journeys import no_horizontal_overflow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_token_page_and_docs(new_page, shot):
    factories.CriteriaSetFactory()
    officer = factories.officer(factories.UnitFactory(), username="xa_api")
    page = new_page(375, 800)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, officer)
    page.goto("/accounts/me/")
    page.get_by_role("link", name="Mã truy cập API").click()
    page.get_by_label("Tên gợi nhớ").fill("Ứng dụng trên điện thoại")
    page.get_by_role("button", name="Tạo mã truy cập").click()
    token = page.get_by_label("Mã truy cập", exact=True).input_value()
    assert token.startswith("cpt_")
    wide = page.evaluate("() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 376)"
                         ".map(e => e.tagName + '.' + e.className + ':' + (e.textContent || '').slice(0, 40))")
    shot(page, "issue20-token-375")
    assert no_horizontal_overflow(page), wide
    status = page.evaluate("""async (token) => (await fetch('/api/v1/units/', {headers: {Authorization: 'Bearer ' + token},
                                 credentials: 'omit'})).status""", token)
    assert status == 200
    page.reload()
    assert page.get_by_label("Mã truy cập", exact=True).count() == 0  # shown once
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/api/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Cổng tiêu chí" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() >= 27
    shot(page, "issue20-api-docs", full=False)
    assert not errors, errors


def test_the_token_page_has_no_serious_axe_violation(browser, live_server):
    from api.services import api_token_create

    officer = factories.officer(factories.UnitFactory(), username="xa_a11y")
    api_token_create(user=officer, name="Hệ thống thống kê", can_write=True)
    for width in (375, 1280):
        # The app's CSP forbids inline scripts; only this test context may inject axe.
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN",
                                      base_url=live_server.url, bypass_csp=True)
        try:
            page = context.new_page()
            sign_in(page, officer)
            assert page.goto("/accounts/tokens/").status == 200
            page.add_script_tag(path=str(AXE))
            serious = [v for v in page.evaluate(RUN_AXE) if v["impact"] in ("serious", "critical")]
            assert not serious, (width, serious)
        finally:
            context.close()
