"""The reviewer's inbox and review page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import permissions

from .. import selectors, services
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
    rows = selectors.unit_status_table(user=request.user, year=year)
    counts = {status: 0 for status in Status.values}
    for row in rows:
        if row.assessment:
            counts[row.assessment.status] += 1
    return render(request, "assessments/reviewer_inbox.html", {
        "inbox": selectors.review_inbox_rows(user=request.user),
        "rows": rows,
        "year": year,
        "years": list(reversed(services.year_range())),
        "counts": [(Status(s).label, s, n) for s, n in counts.items()],
        "not_started": sum(1 for row in rows if row.assessment is None),
        "deadlines": selectors.review_deadlines(year),
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
        form = ReviewForm(initial={"version": assessment.version}, results=results)
        # From now on the officer can no longer take the submission back.
        services.assessment_mark_review_opened(assessment=assessment, actor=request.user)
    return render(request, "assessments/assessment_review.html", {
        "assessment": assessment,
        "form": form,
        "rows": [(r, criterion_fields(form, r, "verified", "comment")) for r in results],
        "reviewable": assessment.status == Status.SUBMITTED,
        "conflict": conflict,
        "timeline": selectors.assessment_timeline(assessment=assessment),
        "Status": Status,
    }, status=status)
