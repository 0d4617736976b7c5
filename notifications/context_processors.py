from .selectors import Unread


def notifications(request):
    """The unread count for the badge in the navigation (one query, on pages that show it)."""
    return {"notifications_unread": Unread(getattr(request, "user", None))}
