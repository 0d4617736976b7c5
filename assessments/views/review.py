"""The reviewer's inbox and review page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions

from .. import programmes, selectors, services
from ..forms import (
    ReviewForm,
)
from ..models import Status
from .common import criterion_fields, mark_differences, stale_data


def _year_from(request) -> int:
    year = selectors.current_year()
    raw = request.GET.get("year")
    if raw:
        try:
            value = int(raw)
            services.check_year(value)
        except (ValueError, services.DomainError):
            messages.error(request, _("Năm “%(year)s” không hợp lệ; đang hiển thị năm %(current)s.") % {
                "year": raw[:10], "current": year})
        else:
            year = value
    return year


@login_required
@require_GET
def reviewer_inbox(request):
    permissions.require(request.user, "assessment.review")
    year = _year_from(request)
    membership = selectors.scope_membership(user=request.user, year=year)
    calendars = programmes.CalendarBook()  # the year's calendars serve the inbox, the table and the deadlines
    rows = selectors.unit_status_table(user=request.user, year=year, membership=membership, calendars=calendars)
    counts = {status: 0 for status in Status.values}
    for row in rows:
        if row.assessment:
            counts[row.assessment.status] += 1
    return render(request, "assessments/reviewer_inbox.html", {
        "inbox": selectors.review_inbox_rows(user=request.user, calendars=calendars),
        "rows": rows,
        "year": year,
        "years": list(reversed(services.year_range())),
        "counts": [(Status(s).label, s, n) for s, n in counts.items()],
        "not_started": sum(1 for row in rows if row.assessment is None),
        "deadlines": selectors.review_deadlines(year, programmes_=selectors.programmes_of(membership),
                                                calendars=calendars),
        # A past deadline is worth a warning only while something of that year still waits.
        "waiting": counts[Status.SUBMITTED],
        "Status": Status,
    })


@login_required
@require_http_methods(["GET", "POST"])
def assessment_review(request, pk: int):
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    permissions.require(request.user, "assessment.review")
    results = selectors.result_list(assessment=assessment)
    status = 200
    conflict = None
    if request.method == "POST":
        form = ReviewForm(request.POST, results=results)
        if form.is_valid():
            decision = form.cleaned_data["action"]
            try:
                services.assessment_review_update(
                    assessment=assessment, actor=request.user, version=form.cleaned_data["version"],
                    values=form.values(), decision=decision, reason=form.cleaned_data["reason"],
                )
            except services.StaleAssessmentError as error:
                assessment.refresh_from_db()
                results = selectors.result_list(assessment=assessment)
                form = ReviewForm(stale_data(request, assessment), results=results)
                mark_differences(form, results, ("verified", "verified_result"), ("comment", "reviewer_comment"))
                conflict, status = str(error), 409
            except services.DomainError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                done = {
                    "save": _("Đã lưu kết quả thẩm định."),
                    "return": _("Đã trả lại đánh giá của %(unit)s.") % {"unit": assessment.unit},
                    "verify": _("Đã xác nhận thẩm định đánh giá của %(unit)s.") % {"unit": assessment.unit},
                }
                messages.success(request, done[decision])
                if decision == "save":
                    return redirect("assessments:assessment_review", pk=assessment.pk)
                return redirect("assessments:reviewer_inbox")
        else:
            status = 400
    else:
        # Reading changes nothing: until the reviewer presses "Bắt đầu thẩm định" (assessment_review_start)
        # the page is read-only and the officer may still recall the submission.
        form = ReviewForm(initial={"version": assessment.version}, results=results)
    submitted = assessment.status == Status.SUBMITTED
    started = services.review_opened(assessment)
    return render(request, "assessments/assessment_review.html", {
        "assessment": assessment,
        "form": form,
        "rows": [(r, criterion_fields(form, r, "verified", "comment")) for r in results],
        "reviewable": submitted and (started or request.method == "POST"),
        "can_start": submitted and not started and request.method == "GET",
        "conflict": conflict,
        "timeline": selectors.assessment_timeline(
            assessment=assessment, edits=None if request.GET.get("timeline") == "all" else selectors.TIMELINE_EDITS),
        "Status": Status,
    }, status=status)


@login_required
@require_POST
def assessment_review_start(request, pk: int):
    """"Bắt đầu thẩm định": the explicit step that ends the officer's right to recall."""
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    permissions.require(request.user, "assessment.review")
    try:
        services.assessment_review_start(assessment=assessment, actor=request.user)
    except services.DomainError as error:
        messages.error(request, str(error))
    return redirect("assessments:assessment_review", pk=assessment.pk)
