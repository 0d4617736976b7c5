"""Whether to show "Tác vụ của tôi" in the navigation, kept in the session so that pages spend no query.

Set at sign-in (one query) and when the user starts a job (jobs/views.py).
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SESSION_KEY = "portal_has_jobs"


@receiver(user_logged_in, dispatch_uid="jobs.remember_has_jobs")
def _remember_has_jobs(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        from .models import Job

        request.session[SESSION_KEY] = Job.objects.filter(owner=user).exists()
