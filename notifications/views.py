from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors, services


@login_required
@require_GET
def notification_list(request):
    """The user's notifications, newest first; opening the list marks them read (the new ones stay
    highlighted on this page)."""
    notifications = list(selectors.notification_list(user=request.user))
    services.notifications_mark_read(user=request.user)
    return render(request, "notifications/notification_list.html", {"notifications": notifications})
