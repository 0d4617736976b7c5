"""Reads of a user's own notifications (a user never sees another's)."""

from __future__ import annotations

from functools import cached_property

from django.db.models import QuerySet

from .models import Notification

LIST_LIMIT = 100


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")[:LIST_LIMIT]


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


class Unread:
    """The unread count for the navigation, counted once and only when a page shows it."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        if not (self.user and self.user.is_authenticated):
            return 0
        return unread_count(user=self.user)
