from .signals import SESSION_KEY


def jobs(request):
    """"Tác vụ của tôi" in the navigation for users who have jobs (a session flag: no query per page)."""
    session = getattr(request, "session", None)
    return {"nav_jobs": bool(session is not None and session.get(SESSION_KEY))}
