"""Offline copies belong to one person on a shared phone (issue 18), the form works offline from its first visit,
and autosave comes back after the session runs out (issue 21). Two users on one browser profile (one context)."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from accounts.offline import offline_key
from assessments import services
from assessments.models import Evidence, Result
from tests import factories
from tests.assessments import files

from .test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAVED = re.compile(r"Đã lưu lúc \d\d:\d\d")
expect.set_options(timeout=15_000)
STORED = """async () => ({
  queued: Object.keys(localStorage).filter(k => k.includes(':unsaved:')),
  pages: (await caches.keys()).filter(n => n.startsWith('criteria-portal-pages-')),
})"""


@pytest.fixture
def world(transactional_db):
    factories.CriteriaSetFactory()
    unit = factories.UnitFactory(name="Xã Tân Lập")
    officer_a = factories.officer(unit, username="canbo_a")
    draft = services.assessment_get_or_create(unit=unit, year=timezone.localdate().year, actor=officer_a)
    other_unit = factories.UnitFactory(name="Xã Văn Sơn")
    return {"draft": draft, "a": officer_a, "same_unit": factories.officer(unit, username="canbo_b_cung_xa"),
            "other_unit": factories.officer(other_unit, username="canbo_b_xa_khac")}


@pytest.fixture
def watched(new_page):
    """new_page, and no script error on any page (a broken module would leave the form without autosave)."""
    errors = []

    def make(*args, **kwargs):
        page = new_page(*args, **kwargs)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.context.on("page", lambda p: p.on("pageerror", lambda error: errors.append(str(error))))
        return page

    yield make
    assert not errors, errors


def same_browser(page):
    """Another tab of the same browser profile (new_page makes a new profile per call)."""
    tab = page.context.new_page()
    tab.on("dialog", lambda dialog: dialog.accept())
    return tab


def card(page, number):
    return page.locator(f"#criterion-{number}")


def state(page, number):
    return card(page, number).locator("[data-save-state]")


def note(draft, number):
    return draft.results.get(criterion__number=number).note


def wait_until_kept(page):
    """The service worker holds a copy of this page (Cache Storage answers asynchronously: poll it)."""
    page.wait_for_function("() => window.__kept === true || (caches.match(location.pathname)"
                           ".then(copy => { window.__kept = !!copy; }), false)")


def open_form(page, draft):
    page.goto(f"/assessments/{draft.pk}/")
    wait_until_kept(page)  # the first visit leaves a copy for a reload without a connection


def leave_a_copy_and_a_queued_edit(page, draft):
    """A saved note (in the page's copy) and an edit typed offline (queued on the phone)."""
    open_form(page, draft)
    card(page, 1).locator("textarea").fill("Ghi chú đã lưu của A")
    expect(state(page, 1)).to_have_text(SAVED)
    page.context.set_offline(True)
    card(page, 2).locator("textarea").fill("Bản nháp chưa gửi của A")
    expect(state(page, 2)).to_have_text("Chưa lưu")
    assert len(page.evaluate(STORED)["queued"]) == 1


def goto_offline(page, path):
    try:
        page.goto(path)
    except PlaywrightError:
        pass  # no copy for this user: the browser's own "no connection" page


def assert_nothing_of_a(page):
    page.wait_for_load_state()
    expect(page.get_by_text("Tiêu chí 1.")).to_have_count(0)
    text = page.content()
    assert "Ghi chú đã lưu của A" not in text and "Bản nháp chưa gửi của A" not in text


def test_the_form_works_offline_from_its_first_visit(watched, world):
    draft = world["draft"]
    page = watched(375, 812)
    sign_in(page, world["a"])
    assert not page.evaluate("!!navigator.serviceWorker.controller")
    open_form(page, draft)
    page.context.set_offline(True)
    page.reload()
    expect(card(page, 16)).to_be_attached()
    card(page, 3).locator("input[value=met]").check()
    expect(state(page, 3)).to_have_text("Chưa lưu")  # the scripts came from the copy too
    expect(page.locator("[data-offline-banner]")).to_contain_text("Mất kết nối mạng")


@pytest.mark.parametrize("ending", ["button", "expired"])
def test_the_next_officer_never_sees_the_previous_ones_copy(watched, world, ending):
    draft, a, b = world["draft"], world["a"], world["other_unit"]
    page = watched()
    sign_in(page, a)
    leave_a_copy_and_a_queued_edit(page, draft)
    if ending == "button":
        page.route("**/criterion/", lambda route: route.abort())  # the edit stays unsent once back online
        page.context.set_offline(False)
        page.get_by_role("button", name="Đăng xuất").click()
        dialog = page.get_by_test_id("signout-dialog")
        expect(dialog).to_contain_text("còn 1 thay đổi đánh giá chưa gửi")
        dialog.get_by_role("button", name="Bỏ các thay đổi và đăng xuất").click()
        expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
        assert page.evaluate(STORED) == {"queued": [], "pages": []}
        # Clear-Site-Data also unregistered the service worker, and Back asks the server again (the sign-in page).
        assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
        page.go_back()
        expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    else:
        Session.objects.all().delete()  # the session ran out; the tab is closed, someone else picks up the phone
        tab = same_browser(page)
        page.close(run_before_unload=False)
        page = tab
        page.context.set_offline(False)
    sign_in(page, b)
    assert page.evaluate(STORED) == {"queued": [], "pages": []}
    assert page.goto(f"/assessments/{draft.pk}/").status == 404
    page.context.set_offline(True)
    goto_offline(page, f"/assessments/{draft.pk}/")
    assert_nothing_of_a(page)
    assert note(draft, 2) == ""


def test_an_officer_of_the_same_unit_never_gets_the_previous_ones_queued_edits(watched, world):
    draft, a, b = world["draft"], world["a"], world["same_unit"]
    page = watched()
    sign_in(page, a)
    leave_a_copy_and_a_queued_edit(page, draft)
    Session.objects.all().delete()
    tab = same_browser(page)
    page.close(run_before_unload=False)
    page = tab
    page.context.set_offline(False)
    sign_in(page, b)
    open_form(page, draft)  # B may open this form: the server's values, none of A's queued typing
    expect(card(page, 1).locator("textarea")).to_have_value("Ghi chú đã lưu của A")
    expect(card(page, 2).locator("textarea")).to_have_value("")
    expect(page.locator("[data-offline-banner]")).to_be_hidden()
    page.context.set_offline(True)
    page.reload()  # B's own copy
    expect(card(page, 2).locator("textarea")).to_have_value("")
    expect(page.locator("[data-offline-banner]")).not_to_contain_text("Đã khôi phục")
    assert page.evaluate(STORED)["queued"] == []
    assert note(draft, 2) == ""


def test_the_same_officer_signing_in_again_gets_the_edits_typed_offline(watched, world):
    """A day offline, the session runs out overnight, the tab was closed: signing in again finds every edit."""
    draft, a = world["draft"], world["a"]
    page = watched(375, 812)
    sign_in(page, a)
    leave_a_copy_and_a_queued_edit(page, draft)
    Session.objects.all().delete()
    tab = same_browser(page)
    page.close(run_before_unload=False)
    page = tab
    page.context.set_offline(False)
    page.goto(f"/assessments/{draft.pk}/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    assert page.evaluate(STORED)["pages"] == []  # the sign-in page shows nobody's copy
    page.get_by_label("Tên đăng nhập").fill(a.username)
    page.get_by_label("Mật khẩu").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(card(page, 2).locator("textarea")).to_have_value("Bản nháp chưa gửi của A")
    expect(state(page, 2)).to_have_text(SAVED)
    assert note(draft, 2) == "Bản nháp chưa gửi của A"


def test_unsent_edits_are_offered_before_sign_out_and_sent(watched, world):
    draft, a = world["draft"], world["a"]
    page = watched(375, 812)
    sign_in(page, a)
    open_form(page, draft)
    page.context.set_offline(True)
    card(page, 4).locator("input[value=met]").check()
    card(page, 4).locator("textarea").fill("Có camera ở 5 thôn")
    expect(state(page, 4)).to_have_text("Chưa lưu")
    tab = same_browser(page)
    page.close(run_before_unload=False)  # the officer left the form while offline
    page = tab
    page.context.set_offline(False)
    page.goto("/")
    page.get_by_role("button", name="Mở menu").click()
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))
    page.get_by_role("button", name="Đăng xuất").click()
    dialog = page.get_by_test_id("signout-dialog")
    expect(dialog).to_contain_text("còn 1 thay đổi đánh giá chưa gửi")
    # Still without a connection: nothing is sent, nothing is thrown away.
    page.context.set_offline(True)
    dialog.get_by_role("button", name="Gửi rồi đăng xuất").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Mất kết nối mạng")
    dialog.get_by_role("button", name="Ở lại").click()
    expect(dialog).to_be_hidden()
    page.context.set_offline(False)
    page.get_by_role("button", name="Đăng xuất").click()
    dialog.get_by_role("button", name="Gửi rồi đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    result = draft.results.get(criterion__number=4)
    assert (result.self_result, result.note) == (Result.MET, "Có camera ở 5 thôn")


def test_on_the_form_itself_sign_out_sends_what_the_form_holds(watched, world):
    draft, a = world["draft"], world["a"]
    page = watched()
    sign_in(page, a)
    open_form(page, draft)
    page.route("**/criterion/", lambda route: route.abort())
    card(page, 6).locator("textarea").fill("Tổ hòa giải họp quý")
    expect(state(page, 6).get_by_role("button", name="Lỗi – thử lại")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()
    dialog = page.get_by_test_id("signout-dialog")
    expect(dialog).to_contain_text("còn 1 thay đổi")
    page.unroute("**/criterion/")
    dialog.get_by_role("button", name="Gửi rồi đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    assert note(draft, 6) == "Tổ hòa giải họp quý"


def test_autosave_after_the_session_expires_says_so_and_recovers_after_signing_in(watched, world):
    draft, a = world["draft"], world["a"]
    page = watched()
    sign_in(page, a)
    open_form(page, draft)
    card(page, 1).locator("textarea").fill("Trước khi hết phiên")
    expect(state(page, 1)).to_have_text(SAVED)
    Session.objects.all().delete()

    card(page, 3).locator("input[value=met]").check()
    card(page, 3).locator("textarea").fill("Sau khi hết phiên")
    expect(state(page, 3)).to_have_text("Phiên đăng nhập đã hết hạn: chưa lưu được.")
    expired = page.get_by_test_id("session-expired")
    expect(expired).to_be_visible()
    expect(page.locator("[data-offline-banner]")).to_be_hidden()  # not "network lost"
    assert page.locator("input[name=version]").input_value() == "2"
    # The whole form is not posted into a sign-in redirect (it would be lost).
    page.get_by_role("button", name="Lưu nháp").click()
    expect(expired).to_be_in_viewport()
    # A file sent meanwhile says why it failed and waits for a retry.
    card(page, 7).locator("input[type=file]").set_input_files(
        files=[{"name": "biên bản.pdf", "mimeType": "application/pdf", "buffer": files.PDF}])
    failed_upload = card(page, 7).locator("[data-uploads] li[data-state=error]")
    expect(failed_upload).to_contain_text("Phiên đăng nhập đã hết hạn")

    with page.context.expect_page() as opened:
        expired.get_by_role("link", name="Đăng nhập lại (mở thẻ mới)").click()
    login = opened.value
    login.get_by_label("Tên đăng nhập").fill(a.username)
    login.get_by_label("Mật khẩu").fill(factories.PASSWORD)
    login.get_by_role("button", name="Đăng nhập").click()
    login.wait_for_load_state()

    # Back on the form, without a reload: the edit went, the version is the server's.
    expect(state(page, 3)).to_have_text(SAVED)
    expect(expired).to_be_hidden()
    draft.refresh_from_db()
    assert page.locator("input[name=version]").input_value() == str(draft.version)
    assert note(draft, 3) == "Sau khi hết phiên" and note(draft, 1) == "Trước khi hết phiên"
    card(page, 5).locator("textarea").fill("Tiếp tục sau khi đăng nhập lại")
    expect(state(page, 5)).to_have_text(SAVED)
    assert note(draft, 5) == "Tiếp tục sau khi đăng nhập lại"
    failed_upload.get_by_role("button", name="Thử lại").click()
    expect(card(page, 7).get_by_role("link", name="biên bản.pdf")).to_be_visible()
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["biên bản.pdf"]
    page.evaluate("window.__kept = false")
    wait_until_kept(page)  # the sign-in page wiped the copy; the form keeps a new one


def test_sign_out_without_scripts_still_works(browser, live_server, world):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", base_url=live_server.url,
                                  java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, world["a"])
        page.get_by_role("button", name="Đăng xuất").click()
        page.wait_for_load_state()
        assert "/accounts/login/" in page.url
        page.goto("/")
        assert "/accounts/login/" in page.url
    finally:
        context.close()


def test_every_page_names_its_user_for_the_offline_copies(watched, world):
    page = watched()
    page.goto("/accounts/login/")
    assert page.locator("meta[name=offline-key]").get_attribute("content") == ""
    sign_in(page, world["a"])
    assert page.locator("meta[name=offline-key]").get_attribute("content") == offline_key(world["a"])
    assert page.evaluate("localStorage.getItem('criteria-portal:user')") == offline_key(world["a"])


@pytest.mark.parametrize("width", [375, 1280])
def test_the_sign_out_step_and_the_expired_notice_have_no_serious_axe_violation(browser, live_server, world, width):
    from .test_accessibility import AXE, RUN_AXE

    draft, a = world["draft"], world["a"]
    # The app's CSP forbids inline scripts; only this test context may inject axe.
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN", base_url=live_server.url,
                                  bypass_csp=True)
    found = []

    def check(state_name):
        page.add_script_tag(path=str(AXE))
        found.extend((state_name, v["id"], v["impact"], v["targets"]) for v in page.evaluate(RUN_AXE)
                     if v["impact"] in ("serious", "critical"))

    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        sign_in(page, a)
        open_form(page, draft)
        page.route("**/criterion/", lambda route: route.abort())
        card(page, 2).locator("textarea").fill("Chưa gửi được")
        expect(state(page, 2).get_by_role("button", name="Lỗi – thử lại")).to_be_visible()
        if width < 1200:
            page.get_by_role("button", name="Mở menu").click()
            expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))
        page.get_by_role("button", name="Đăng xuất").click()
        expect(page.get_by_test_id("signout-dialog")).to_be_visible()
        check("sign-out step")
        page.get_by_role("button", name="Ở lại").click()
        page.unroute("**/criterion/")
        Session.objects.all().delete()
        card(page, 3).locator("textarea").fill("Sau khi hết phiên")
        expect(page.get_by_test_id("session-expired")).to_be_visible()
        check("session expired")
    finally:
        context.close()
    assert not found, found
