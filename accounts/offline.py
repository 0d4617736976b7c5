"""Whose offline copies a browser holds: the officer form keeps a copy of the page and the edits not yet sent
(assessments/js/, the service worker) on the device, and a phone is shared by the commune police."""

from django.utils.crypto import salted_hmac

# Sent with the sign-out answer: the browser drops the portal's HTTP cache, Cache Storage, localStorage and the
# service worker before the sign-in page shows (Chromium honours it on the redirect too). Cookies are left to
# Django, so the next sign-in and the language choice work as before.
CLEAR_SITE_DATA = '"cache", "storage"'


def offline_key(user) -> str:
    """The name of a user's copies on a device ("" when nobody is signed in).

    Every page carries it (base.html); the scripts keep copies and queued edits under it and wipe them when
    the page shows another name. It is the same at every sign-in of one user — an officer whose session ran
    out finds the page still theirs after signing in again — different for every user, and says nothing about
    who it is (an HMAC of the id with SECRET_KEY)."""
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac("accounts.offline_key", str(user.pk), algorithm="sha256").hexdigest()[:32]
