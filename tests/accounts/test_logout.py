"""Sign-out on a shared phone: the answer tells the browser to forget the portal's copies (Clear-Site-Data), and
every page names whose copies it may keep (the offline key), so the scripts can wipe the previous user's."""

import re

from django.urls import reverse

from accounts.offline import offline_key
from tests import factories
from tests.factories import PASSWORD


def key_on(page: str) -> str | None:
    match = re.search(r'<meta name="offline-key" content="([^"]*)">', page)
    return match.group(1) if match else None


def test_sign_out_clears_the_browsers_copies_and_ends_the_session(client, db):
    user = factories.officer(factories.UnitFactory())
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
    assert reverse("accounts:login") in client.get("/")["Location"]


def test_sign_out_is_post_only_and_a_get_clears_nothing(client, db):
    client.force_login(factories.officer(factories.UnitFactory()))
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405 and "Clear-Site-Data" not in response
    assert "_auth_user_id" in client.session


def test_the_next_sign_in_works_after_a_sign_out(client, db):
    first = factories.officer(factories.UnitFactory(), username="canbo_truoc")
    second = factories.officer(factories.UnitFactory(), username="canbo_sau")
    client.force_login(first)
    client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:login"), {"username": second.username, "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == second.pk


def test_every_page_names_whose_copies_it_may_keep(client, db):
    user = factories.officer(factories.UnitFactory())
    assert key_on(client.get(reverse("accounts:login")).content.decode()) == ""
    client.force_login(user)
    assert key_on(client.get(reverse("accounts:account")).content.decode()) == offline_key(user)
    assert 'data-logout' in client.get(reverse("accounts:account")).content.decode()


def test_the_offline_key_is_one_per_user_stable_and_says_nothing(db):
    unit = factories.UnitFactory()
    one, other = factories.officer(unit, username="canbo_mot"), factories.officer(unit, username="canbo_hai")
    assert offline_key(one) == offline_key(one) and len(offline_key(one)) == 32
    assert offline_key(one) != offline_key(other)
    assert str(one.pk) != offline_key(one) and one.username not in offline_key(one)
    assert offline_key(None) == ""


def test_the_offline_key_depends_on_the_secret_key(db, settings):
    user = factories.officer(factories.UnitFactory())
    before = offline_key(user)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-" + "x" * 30
    assert offline_key(user) != before
