from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from .models import Role

# Where each role starts its day. The apps own the pages; this only points at them.
HOME_BY_ROLE = {
    Role.COMMUNE_OFFICER: "assessments:officer_home",
    Role.DISTRICT_REVIEWER: "assessments:reviewer_inbox",
    Role.PROVINCE_VIEWER: "reports:progress",
    Role.ADMIN: "reports:progress",
    Role.NATIONAL_VIEWER: "reports:national",
}


@login_required
def home(request):
    try:
        return redirect(reverse(HOME_BY_ROLE[request.user.role]))
    except (KeyError, NoReverseMatch):
        return redirect("admin:index" if request.user.role == Role.ADMIN else "accounts:password_change")
