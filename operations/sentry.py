"""Error reporting to Sentry (or a compatible server such as GlitchTip), only when SENTRY_DSN is set.

The settings call sentry_init() then; without a DSN this module is never imported, nor is sentry_sdk.
"""

from __future__ import annotations


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float = 0.0) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        # No user names, addresses or cookies leave the portal; the request id ties an error to the logs.
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
        before_send=_with_request_id,
    )


def _with_request_id(event: dict, hint: dict) -> dict:
    from .request_id import current

    event.setdefault("tags", {})["request_id"] = current.get()
    return event
