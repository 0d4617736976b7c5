"""The reminders' task: one message, claimed and sent in the worker (send_reminders enqueues them)."""

from __future__ import annotations

import logging

from django.tasks import task

from operations.logs import event

from .reminders import deliver_message


@task
def reminder_deliver(*, user_id: int, rule: str, day: str, subject: str, body: str, text: str, link: str) -> str:
    """"sent", "already" (another run claimed it), "refused: <why>" (the mail server refused the address: the
    notice in the portal was left) or "failed: <reason>" — a failed send leaves no claim, so the next run of
    send_reminders that day sends it again."""
    try:
        delivered = deliver_message(user_id=user_id, rule=rule, day=day, subject=subject, body=body, text=text,
                                    link=link)
    except Exception as exc:  # one bad address or a mail server hiccup must not look like success
        event("reminder.failed", level=logging.ERROR, user_id=user_id, rule=rule, day=day, error=str(exc))
        return f"failed: {exc}"
    if not delivered:
        event("reminder.already", user_id=user_id, rule=rule, day=day)
        return "already"
    if delivered.refused:
        event("reminder.refused", user_id=user_id, rule=rule, day=day, reason=delivered.refused)
        return f"refused: {delivered.refused}"
    event("reminder.sent", user_id=user_id, rule=rule, day=day)
    return "sent"
