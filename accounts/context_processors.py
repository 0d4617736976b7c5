from django.conf import settings

from . import permissions
from .offline import offline_key


def portal(request):
    """Role flags the base layout uses to build the navigation."""
    user = getattr(request, "user", None)
    return {
        "portal_demo": settings.PORTAL_DEMO,
        # Whose offline copies this page may keep; the scripts wipe the others' (base.html, portal/session.js).
        "offline_key": offline_key(user),
        "nav": {
            "officer": permissions.has_capability(user, "assessment.edit"),
            "review": permissions.has_capability(user, "assessment.review"),
            "reports": permissions.has_capability(user, "reports.view_district"),
            "province": permissions.has_capability(user, "reports.view_province"),
            # In the navigation for national viewers; administrators reach it from the progress page
            # (their navigation must stay on one line at 1280 px).
            "national": permissions.has_capability(user, "reports.view_national")
            and not permissions.has_capability(user, "registration.manage"),
            "national_link": permissions.has_capability(user, "reports.view_national"),
            "recognitions": any(
                permissions.has_capability(user, c)
                for c in ("recognition.record_commune", "recognition.record_district")
            ),
            "registrations": permissions.has_capability(user, "registration.manage"),
            "data": permissions.has_capability(user, "data.import"),
            "admin": bool(user and user.is_authenticated and user.is_portal_admin),
        }
    }
