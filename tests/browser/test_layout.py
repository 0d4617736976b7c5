"""Layout at 1280 px: the navigation stays on one line for every role, and the district table of the
progress page is not cut (it fits without a sideways scroll). At 375 px the unread count shows without
opening the menu."""

import pytest

from tests import factories
from tests.reports.conftest import scenario  # noqa: F401

from . import signin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAV_LINES = """() => {
  const tops = new Set([...document.querySelectorAll('#mainnav .nav-link, #mainnav [data-testid=current-user]')]
    .map(e => Math.round(e.getBoundingClientRect().top / 8)));
  const right = Math.max(...[...document.querySelectorAll('nav.navbar a, nav.navbar button, nav.navbar select')]
    .map(e => e.getBoundingClientRect().right));
  return {navHeight: document.querySelector('nav.navbar').getBoundingClientRect().height, rows: tops.size, right};
}"""


def sign_in(page, user):
    signin.prepare(user)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    signin.second_step(page)


def test_nav_and_district_table_fit_at_1280(browser, live_server, shot, scenario):  # noqa: F811
    users = [factories.administrator(username="bocuc_admin"), factories.reviewer(scenario["A"], username="bocuc_huyen"),
             factories.province_viewer(username="bocuc_tinh")]
    for user in users:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", base_url=live_server.url)
        try:
            page = context.new_page()
            sign_in(page, user)
            page.goto("/reports/?year=2025" if user.role != "district_reviewer" else "/assessments/review/")
            nav = page.evaluate(NAV_LINES)
            shot(page, f"30-layout-1280-{user.role}", full=False)
            assert nav["navHeight"] < 80 and nav["right"] <= 1280, (user.role, nav)
            if user.role != "district_reviewer":
                widths = page.evaluate("""() => { const t = document.querySelector('[data-testid=districts-table]');
                    return {table: t.scrollWidth, box: t.parentElement.clientWidth}; }""")
                assert widths["table"] <= widths["box"], (user.role, widths)
        finally:
            context.close()


def test_unread_badge_shows_on_a_phone_without_opening_the_menu(browser, live_server, shot, scenario):  # noqa: F811
    from notifications.models import Kind, Notification

    officer = factories.officer(scenario["uDraft"], username="bocuc_xa")
    for i in range(2):
        Notification.objects.create(user=officer, kind=Kind.RETURNED, text=f"Thông báo {i}", link="/")
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="vi-VN", base_url=live_server.url)
    try:
        page = context.new_page()
        sign_in(page, officer)
        page.goto("/assessments/")
        assert not page.locator("#mainnav").is_visible()  # the menu is folded
        badge = page.locator("[data-testid=unread-count]")
        assert badge.is_visible() and badge.inner_text() == "2"
        box, toggler = badge.bounding_box(), page.locator(".navbar-toggler").bounding_box()
        # One row: the bell beside the menu button, inside the screen.
        assert abs((box["y"] + box["height"] / 2) - (toggler["y"] + toggler["height"] / 2)) < 12, (box, toggler)
        assert box["x"] + box["width"] <= toggler["x"] and toggler["x"] + toggler["width"] <= 375
        assert page.locator("nav.navbar").bounding_box()["height"] < 70
        link = page.locator("[data-testid=notifications-link]").bounding_box()
        assert link["width"] >= 24 and link["height"] >= 24  # a touch target
        shot(page, "31-nav-375-unread", full=False)
        page.locator("[data-testid=notifications-link]").click()
        page.wait_for_load_state()
        assert page.url.endswith("/notifications/") and page.locator("[data-testid=unread-count]").count() == 0
    finally:
        context.close()
