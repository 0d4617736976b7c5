"""Personal access tokens: stored hashed, shown once, expiring, read-only or read-write, revocable by
their owner and by an administrator, last use recorded cheaply; the rate limit per token."""

from __future__ import annotations

import datetime
import hashlib
import io
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api import services
from api.models import ApiToken
from assessments.models import Result
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db
UNITS = "/api/v1/units/"


def test_a_token_is_stored_as_a_digest_only(officer_user):
    token, raw = services.api_token_create(user=officer_user, name="Ứng dụng điện thoại", days=30)
    assert raw.startswith(f"cpt_{token.prefix}_") and len(raw) > 40
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert raw not in str(stored)
    assert stored["digest"] == hashlib.sha256(raw.encode()).hexdigest()
    assert token.expires_at - token.created_at == datetime.timedelta(days=30)
    assert token.can_write is False


def test_the_token_signs_the_request_in_as_its_user(client, officer_user):
    raw = services.api_token_create(user=officer_user, name="t")[1]
    response = client.get(UNITS, **bearer(raw))
    assert response.status_code == 200
    assert [u["id"] for u in response.json()["results"]] == [officer_user.unit_id]


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer cpt_00000000_nope", "Bearer a b", "Bearer cpt_short_x",
                                    "Token abc"])
def test_no_or_a_wrong_token_is_a_401(client, officer_user, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(UNITS, **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] in ("not_authenticated", "authentication_failed")


def test_an_expired_token_is_refused(client, officer_user):
    token, raw = services.api_token_create(user=officer_user, name="t", days=1)
    ApiToken.objects.filter(pk=token.pk).update(created_at=timezone.now() - datetime.timedelta(days=3),
                                                expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(UNITS, **bearer(raw))
    assert response.status_code == 401
    assert response.json() == {"detail": "Mã truy cập đã hết hạn.", "code": "authentication_failed"}


def test_a_token_revoked_by_its_owner_on_the_page_is_refused(client, officer_user):
    token, raw = services.api_token_create(user=officer_user, name="Máy tính bảng")
    client.force_login(officer_user)
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == officer_user
    api = Client()
    response = api.get(UNITS, **bearer(raw))
    assert response.status_code == 401 and response.json()["detail"] == "Mã truy cập đã bị thu hồi."


def test_nobody_revokes_another_users_token_on_the_page(client, officer_user, reviewer_user):
    token = services.api_token_create(user=officer_user, name="t")[0]
    client.force_login(reviewer_user)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_administrator_revokes_tokens_in_the_admin(client, officer_user, admin_user):
    token, raw = services.api_token_create(user=officer_user, name="t")
    client.force_login(admin_user)
    changelist = reverse("admin:api_apitoken_changelist")
    page = client.get(changelist)
    assert page.status_code == 200 and token.prefix in page.content.decode() and raw not in page.content.decode()
    response = client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == admin_user
    assert Client().get(UNITS, **bearer(raw)).status_code == 401


def test_a_token_of_a_locked_account_is_refused(client, officer_user):
    raw = services.api_token_create(user=officer_user, name="t")[1]
    officer_user.is_active = False
    officer_user.save()
    assert client.get(UNITS, **bearer(raw)).status_code == 401


def test_a_read_only_token_cannot_write(client, officer_user, criteria_set):
    from assessments import services as assessment_services

    draft = assessment_services.assessment_get_or_create(unit=officer_user.unit, year=2025, actor=officer_user)
    criterion = draft.results.first().criterion_id
    raw = services.api_token_create(user=officer_user, name="chỉ đọc", can_write=False)[1]
    response = client.post(f"/api/v1/assessments/{draft.pk}/results/", {
        "version": draft.version, "criterion": criterion, "self_result": "met", "note": "x"},
        content_type="application/json", **bearer(raw))
    assert response.status_code == 403
    assert "chỉ được đọc" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.version == 1 and not draft.results.filter(self_result=Result.MET).exists()
    assert client.get(f"/api/v1/assessments/{draft.pk}/", **bearer(raw)).status_code == 200


def test_last_use_is_written_at_most_once_a_minute(client, officer_user):
    token, raw = services.api_token_create(user=officer_user, name="t")
    assert token.last_used_at is None
    client.get(UNITS, **bearer(raw))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        client.get(UNITS, **bearer(raw))
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get(UNITS, **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at > first - datetime.timedelta(minutes=1)


def test_the_command_prints_a_token_for_scripts(client, officer_user):
    out = io.StringIO()
    call_command("api_token", officer_user.username, "--write", "--days", "7", stdout=out)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=officer_user)
    assert raw.startswith(f"cpt_{token.prefix}_") and token.can_write
    assert token.expires_at - token.created_at == datetime.timedelta(days=7)
    assert client.get(UNITS, **bearer(raw)).status_code == 200
    call_command("api_token", officer_user.username, stdout=io.StringIO())
    assert ApiToken.objects.filter(user=officer_user, can_write=False).count() == 1


@pytest.mark.parametrize("args", [["nobody"], ["USER", "--days", "0"], ["USER", "--days", "400"]])
def test_the_command_refuses_bad_input(officer_user, args):
    with pytest.raises(CommandError):
        call_command("api_token", *[officer_user.username if a == "USER" else a for a in args], stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_the_page_shows_a_new_token_once(client, officer_user):
    client.force_login(officer_user)
    url = reverse("api_tokens:list")
    response = client.post(url, {"name": "Hệ thống thống kê", "days": "90", "can_write": "on"})
    assert response.status_code == 302 and response["Location"] == url
    token = ApiToken.objects.get(user=officer_user)
    assert token.can_write and token.name == "Hệ thống thống kê"
    page = client.get(url).content.decode()
    assert 'data-testid="new-token"' in page and f"cpt_{token.prefix}_" in page
    raw = page.split('id="new-token-value" type="text" readonly value="')[1].split('"')[0]
    assert hashlib.sha256(raw.encode()).hexdigest() == token.digest
    again = client.get(url).content.decode()
    assert raw not in again and 'data-testid="new-token"' not in again and "Hệ thống thống kê" in again


def test_the_page_refuses_bad_input(client, officer_user):
    client.force_login(officer_user)
    response = client.post(reverse("api_tokens:list"), {"name": "", "days": "1000"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_account_page_links_to_the_tokens_and_the_docs(client, officer_user):
    client.force_login(officer_user)
    page = client.get(reverse("accounts:account")).content.decode()
    assert reverse("api_tokens:list") in page and reverse("api:docs") in page


def test_anonymous_users_get_the_login_page_for_tokens(client):
    response = client.get(reverse("api_tokens:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_a_browser_session_works_and_needs_csrf_to_write(officer_user, criteria_set):
    from assessments import services as assessment_services

    draft = assessment_services.assessment_get_or_create(unit=officer_user.unit, year=2025, actor=officer_user)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer_user)
    assert browser.get(UNITS).status_code == 200
    response = browser.post(f"/api/v1/assessments/{draft.pk}/submit/", {"version": 1},
                            content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


@override_settings(API_RATE_LIMIT="3/min")
def test_the_rate_limit_is_per_token(client, officer_user):
    first = services.api_token_create(user=officer_user, name="a")[1]
    second = services.api_token_create(user=officer_user, name="b")[1]
    statuses = [client.get(UNITS, **bearer(first)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(UNITS, **bearer(first))
    assert response.json()["code"] == "throttled" and "thử lại sau" in response.json()["detail"]
    assert int(response["Retry-After"]) >= 1
    assert client.get(UNITS, **bearer(second)).status_code == 200


@override_settings(API_RATE_LIMIT="3/min", CACHES={"default": {
    "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}})
def test_a_cache_that_cannot_be_reached_skips_the_limit_with_a_warning(client, officer_user, caplog):
    raw = services.api_token_create(user=officer_user, name="t")[1]
    with caplog.at_level(logging.WARNING, logger="api.throttling"):
        statuses = [client.get(UNITS, **bearer(raw)).status_code for _ in range(4)]
    assert statuses == [200] * 4
    assert "cache cannot be reached" in caplog.text



def test_an_api_session_without_the_second_factor_is_refused_in_json(client):
    """A privileged user signed in with the password only (no authenticator yet, so the second step is not
    passed) gets a JSON 403 from the API, not the HTML enrolment page."""
    from tests import factories

    admin = factories.administrator()
    client.post("/accounts/login/", {"username": admin.username, "password": factories.PASSWORD})
    response = client.get("/api/v1/programmes/")
    assert response.status_code == 403 and response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "two_factor_required"
