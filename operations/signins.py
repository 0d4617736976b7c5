"""Sign-ins in the log: success, failure and lockout, from Django's auth signals and axes' own.

Only the login name and the address are written (never a password, which Django has already cleansed
from the credentials); a lockout is a warning, since someone may be guessing passwords.
"""

from __future__ import annotations

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .logs import event


def _address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "-") if request is not None else "-"


@receiver(user_logged_in, dispatch_uid="operations.signin_success")
def _signed_in(sender, request, user, **kwargs):
    event("signin.success", user=user.username, user_id=user.pk, address=_address(request))


@receiver(user_login_failed, dispatch_uid="operations.signin_failure")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    event("signin.failure", level=logging.WARNING, user=(credentials or {}).get("username", "")[:150],
          address=_address(request))


@receiver(user_locked_out, dispatch_uid="operations.signin_lockout")
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    event("signin.lockout", level=logging.WARNING, user=(username or "")[:150], address=ip_address or "-")


@receiver(user_logged_out, dispatch_uid="operations.signout")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        event("signin.signout", user=user.username, user_id=user.pk)
