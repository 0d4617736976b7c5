"""Signing in through the pages, second step included: a user whose role requires two-factor sign-in gets the
test authenticator (factories.TOTP_KEY) before the password step, and its code is typed at the code step."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from tests import factories

CODE_PATH = "/accounts/login/code/"


def prepare(user) -> None:
    """Before the password step (in the test's thread: it touches the database)."""
    if two_factor.is_required(user):
        factories.enrol_two_factor(user)
    # A code is refused the second time in its 30 seconds (a replay, rightly): a test signing the same user in
    # again within them starts from a fresh device state.
    TOTPDevice.objects.filter(user=user).update(last_t=-1)


def second_step(page) -> None:
    """After the password step: type the authenticator's code if the portal asks for it (no database here)."""
    if CODE_PATH in page.url:
        page.fill("input[name=code]", factories.totp_code())
        page.click("button[type=submit]")
        page.wait_for_load_state()
