"""Writes: every change to assessments, registrations and recognitions goes through here.

Each service runs in one transaction, checks the rule it owns (not only the template),
records who/when/why, and raises a DomainError subclass with a message for the user.
"""

from __future__ import annotations

import datetime
import os
import zipfile
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts import permissions
from communes.models import Unit

from .models import (
    MAX_YEAR,
    MIN_YEAR,
    Assessment,
    CriteriaSet,
    CriterionResult,
    Evidence,
    Level,
    Programme,
    Recognition,
    Registration,
    Result,
    Status,
    Transition,
)


class DomainError(Exception):
    """A rule was broken; the message is shown to the user as is."""


class StaleAssessmentError(DomainError):
    """The form was built from an older version of the assessment."""


class RecognitionRuleError(DomainError):
    pass


# ---------------------------------------------------------------- helpers


def year_range() -> range:
    """Years the portal accepts for new data: the programme start .. next year."""
    return range(2021, timezone.localdate().year + 2)


def check_year(year: int) -> None:
    if year not in year_range() or not (MIN_YEAR <= year <= MAX_YEAR):
        raise DomainError(
            _("Năm %(year)s nằm ngoài khoảng cho phép (%(first)s–%(last)s).")
            % {"year": year, "first": year_range()[0], "last": year_range()[-1]}
        )


def programme_for_unit(unit: Unit) -> Programme:
    for programme in Programme.objects.order_by("code"):
        if unit.kind in programme.unit_kinds:
            return programme
    raise DomainError(
        _("%(unit)s không thuộc đối tượng của chương trình nào (chỉ áp dụng cho xã, thị trấn).") % {"unit": unit}
    )


def criteria_set_for(unit: Unit, year: int) -> CriteriaSet:
    programme = programme_for_unit(unit)
    criteria_set = (
        CriteriaSet.objects.in_force(year).filter(programme=programme).order_by("-version").first()
    )
    if criteria_set is None:
        raise DomainError(_("Chưa có bộ tiêu chí áp dụng cho năm %(year)s.") % {"year": year})
    return criteria_set


def recognition_threshold(criteria_set: CriteriaSet) -> tuple[int, int]:
    """(criteria needed, criteria in the set)."""
    total = criteria_set.criteria.count()
    return (criteria_set.recognition_threshold or total), total


def refresh_met_counts(assessment: Assessment) -> None:
    """Recompute the cached met counts from the results (one query)."""
    counts = assessment.results.aggregate(
        self_met=Count("id", filter=Q(self_result=Result.MET)),
        verified_met=Count("id", filter=Q(verified_result=Result.MET)),
    )
    assessment.self_met_count = counts["self_met"]
    if assessment.status == Status.VERIFIED:
        assessment.verified_met_count = counts["verified_met"]
    else:
        assessment.verified_met_count = None


def _lock(assessment: Assessment, version: int | None, actor) -> Assessment:
    """Re-read the row under a lock, check the actor's scope and compare versions (optimistic locking)."""
    locked = Assessment.objects.select_for_update().select_related("unit").get(pk=assessment.pk)
    if not permissions.can_see_unit(actor, locked.unit):
        raise DomainError(_("Bạn không có quyền với đơn vị này."))
    if version is not None and int(version) != locked.version:
        raise StaleAssessmentError(
            _(
                "Đánh giá này vừa được người khác thay đổi. Nội dung bạn nhập vẫn được giữ lại bên dưới; "
                "hãy xem lại bản mới nhất rồi lưu lại."
            )
        )
    return locked


def _move(assessment: Assessment, *, to: str, actor, reason: str = "") -> None:
    Transition.objects.create(
        assessment=assessment, from_status=assessment.status, to_status=to, actor=actor, reason=reason
    )
    assessment.status = to


def _save(assessment: Assessment, *, actor, reason: str = "") -> None:
    assessment.version += 1
    assessment._history_user = actor
    assessment._change_reason = reason or None
    assessment.save()


# ---------------------------------------------------------------- assessments


@transaction.atomic
def assessment_get_or_create(*, unit: Unit, year: int, actor) -> Assessment:
    """The unit's assessment for `year` under the criteria set in force, with one result per criterion."""
    permissions.require(actor, "assessment.edit")
    if not permissions.can_see_unit(actor, unit):
        raise DomainError(_("Bạn không có quyền với đơn vị này."))
    check_year(year)
    criteria_set = criteria_set_for(unit, year)
    assessment = Assessment.objects.filter(unit=unit, year=year, criteria_set__programme=criteria_set.programme).first()
    if assessment is not None:
        return assessment
    assessment = Assessment(unit=unit, year=year, criteria_set=criteria_set)
    assessment._history_user = actor
    assessment.save()
    # With history, so that the timeline can show each answer's first change from "not yet".
    bulk_create_with_history(
        [CriterionResult(assessment=assessment, criterion=criterion) for criterion in criteria_set.criteria.all()],
        CriterionResult, default_user=actor,
    )
    Transition.objects.create(assessment=assessment, from_status="", to_status=Status.DRAFT, actor=actor)
    return assessment


def _results_by_criterion(assessment: Assessment, values: Mapping[int, Mapping[str, str]]):
    results = {r.criterion_id: r for r in assessment.results.select_related("criterion")}
    unknown = set(values) - set(results)
    if unknown:
        raise DomainError(_("Dữ liệu gửi lên có tiêu chí không thuộc bộ tiêu chí của đánh giá này."))
    return results


@transaction.atomic
def assessment_save_self(
    *, assessment: Assessment, actor, version: int, values: Mapping[int, Mapping[str, str]]
) -> Assessment:
    """Save the commune's self-assessment. `values`: criterion id → {"self_result", "note"}."""
    permissions.require(actor, "assessment.edit")
    assessment = _lock(assessment, version, actor)
    if assessment.status not in (Status.DRAFT, Status.RETURNED):
        raise DomainError(_("Đánh giá ở trạng thái “%(status)s” không thể sửa.") % {"status": assessment.get_status_display()})
    results = _results_by_criterion(assessment, values)
    for criterion_id, data in values.items():
        result = results[criterion_id]
        new_result = data.get("self_result", result.self_result) or Result.NOT_YET
        if new_result not in Result.values:
            raise DomainError(_("Kết quả “%(value)s” không hợp lệ.") % {"value": new_result})
        new_note = data.get("note", result.note)
        if (new_result, new_note) != (result.self_result, result.note):
            result.self_result, result.note = new_result, new_note
            result._history_user = actor
            result.save()
    refresh_met_counts(assessment)
    _save(assessment, actor=actor)
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: Assessment, actor, version: int | None = None) -> Assessment:
    permissions.require(actor, "assessment.edit")
    assessment = _lock(assessment, version, actor)
    if assessment.status not in (Status.DRAFT, Status.RETURNED):
        raise DomainError(_("Chỉ gửi được đánh giá đang soạn hoặc bị trả lại."))
    missing = list(
        assessment.results.filter(self_result=Result.NOT_YET).values_list("criterion__number", flat=True)
    )
    if missing:
        raise DomainError(
            _("Chưa đánh giá các tiêu chí: %(numbers)s. Cần đánh giá đủ tất cả tiêu chí trước khi gửi.")
            % {"numbers": ", ".join(str(n) for n in missing)}
        )
    _move(assessment, to=Status.SUBMITTED, actor=actor)
    assessment.submitted_at = timezone.now()
    refresh_met_counts(assessment)
    _save(assessment, actor=actor, reason=_("Gửi lên cấp trên"))
    return assessment


@transaction.atomic
def assessment_save_review(
    *, assessment: Assessment, actor, version: int, values: Mapping[int, Mapping[str, str]]
) -> Assessment:
    """Save the district's verification. `values`: criterion id → {"verified_result", "reviewer_comment"}."""
    permissions.require(actor, "assessment.review")
    assessment = _lock(assessment, version, actor)
    if assessment.status != Status.SUBMITTED:
        raise DomainError(_("Chỉ thẩm định được đánh giá đã gửi lên."))
    results = _results_by_criterion(assessment, values)
    for criterion_id, data in values.items():
        result = results[criterion_id]
        new_result = data.get("verified_result", result.verified_result) or ""
        if new_result and new_result not in (Result.MET, Result.NOT_MET):
            raise DomainError(_("Kết quả thẩm định chỉ có thể là Đạt hoặc Chưa đạt."))
        new_comment = data.get("reviewer_comment", result.reviewer_comment)
        if (new_result, new_comment) != (result.verified_result, result.reviewer_comment):
            result.verified_result, result.reviewer_comment = new_result, new_comment
            result._history_user = actor
            result.save()
    _save(assessment, actor=actor)
    return assessment


@transaction.atomic
def assessment_return(*, assessment: Assessment, actor, reason: str, version: int | None = None) -> Assessment:
    permissions.require(actor, "assessment.review")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Cần ghi lý do trả lại."))
    assessment = _lock(assessment, version, actor)
    if assessment.status != Status.SUBMITTED:
        raise DomainError(_("Chỉ trả lại được đánh giá đã gửi lên."))
    _move(assessment, to=Status.RETURNED, actor=actor, reason=reason)
    assessment.return_reason = reason
    _save(assessment, actor=actor, reason=reason)
    return assessment


@transaction.atomic
def assessment_verify(*, assessment: Assessment, actor, version: int | None = None) -> Assessment:
    permissions.require(actor, "assessment.review")
    assessment = _lock(assessment, version, actor)
    if assessment.status != Status.SUBMITTED:
        raise DomainError(_("Chỉ xác nhận thẩm định được đánh giá đã gửi lên."))
    # A criterion the reviewer did not touch is confirmed as the commune assessed it.
    for result in assessment.results.filter(verified_result=""):
        result.verified_result = Result.MET if result.self_result == Result.MET else Result.NOT_MET
        result._history_user = actor
        result.save()
    _move(assessment, to=Status.VERIFIED, actor=actor)
    assessment.verified_at = timezone.now()
    assessment.verified_by = actor
    assessment.return_reason = ""
    refresh_met_counts(assessment)
    _save(assessment, actor=actor, reason=_("Xác nhận thẩm định"))
    return assessment


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, actor, reason: str, version: int | None = None) -> Assessment:
    """Administrators only: unlock a verified assessment back to 'submitted' for review."""
    permissions.require(actor, "assessment.reopen")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Cần ghi lý do mở lại."))
    assessment = _lock(assessment, version, actor)
    if assessment.status != Status.VERIFIED:
        raise DomainError(_("Chỉ mở lại được đánh giá đã thẩm định."))
    _move(assessment, to=Status.SUBMITTED, actor=actor, reason=reason)
    assessment.verified_at = None
    assessment.verified_by = None
    refresh_met_counts(assessment)
    _save(assessment, actor=actor, reason=reason)
    return assessment


# ---------------------------------------------------------------- registrations


@transaction.atomic
def registration_create(*, unit: Unit, year: int, actor, note: str = "") -> Registration:
    permissions.require(actor, "registration.manage")
    if not permissions.can_see_unit(actor, unit):
        raise DomainError(_("Bạn không có quyền với đơn vị này."))
    check_year(year)
    programme_for_unit(unit)
    registration, created = Registration.objects.get_or_create(
        unit=unit, year=year, defaults={"note": note, "created_by": actor}
    )
    if not created:
        raise DomainError(_("%(unit)s đã đăng ký xây dựng điểm năm %(year)s.") % {"unit": unit, "year": year})
    return registration


@transaction.atomic
def registration_delete(*, registration: Registration, actor) -> None:
    permissions.require(actor, "registration.manage")
    if not permissions.can_see_unit(actor, registration.unit):
        raise DomainError(_("Bạn không có quyền với đơn vị này."))
    registration._history_user = actor
    registration.delete()


# ---------------------------------------------------------------- recognitions

LEVEL_CAPABILITY = {
    Level.COMMUNE: "recognition.record_commune",
    Level.DISTRICT: "recognition.record_district",
    Level.PROVINCE: "recognition.record_province",
}


def recognition_rule_problem(*, unit: Unit, level: int, decision_date: datetime.date) -> str | None:
    """The §3 rule a new recognition would break, as a message, or None."""
    if level == Level.COMMUNE:
        years = (decision_date.year - 1, decision_date.year)
        for assessment in Assessment.objects.filter(unit=unit, year__in=years, status=Status.VERIFIED).select_related(
            "criteria_set"
        ):
            needed, _total = recognition_threshold(assessment.criteria_set)
            if (assessment.verified_met_count or 0) >= needed:
                return None
        try:
            needed, total = recognition_threshold(criteria_set_for(unit, decision_date.year))
        except DomainError:
            needed = total = 16
        return _(
            "%(unit)s chưa có đánh giá đã thẩm định đạt %(needed)s/%(total)s tiêu chí năm %(prev)s hoặc năm %(year)s."
        ) % {"unit": unit, "needed": needed, "total": total, "prev": years[0], "year": years[1]}
    lower = Level.COMMUNE if level == Level.DISTRICT else Level.DISTRICT
    if Recognition.objects.held_on(decision_date).filter(unit=unit, level=lower).exists():
        return None
    return _("%(unit)s chưa được công nhận %(lower)s vào hoặc trước ngày %(date)s.") % {
        "unit": unit,
        "lower": Level(lower).label.lower(),
        "date": decision_date.strftime("%d/%m/%Y"),
    }


@transaction.atomic
def recognition_create(
    *,
    unit: Unit,
    level: int,
    decision_number: str,
    decision_date: datetime.date,
    issued_by: str,
    actor,
    scan=None,
    historical: bool = False,
) -> Recognition:
    """Record a recognition decision. `historical=True` (administrators) records it despite a broken rule, flagged."""
    if level not in Level.values:
        raise DomainError(_("Cấp công nhận không hợp lệ."))
    permissions.require(actor, LEVEL_CAPABILITY[level])
    if not permissions.can_see_unit(actor, unit):
        raise DomainError(_("Bạn không có quyền với đơn vị này."))
    programme_for_unit(unit)
    decision_number = (decision_number or "").strip()
    issued_by = (issued_by or "").strip()
    if not decision_number or not issued_by:
        raise DomainError(_("Cần ghi số quyết định và cơ quan ban hành."))
    if decision_date > timezone.localdate():
        raise DomainError(_("Ngày ký quyết định không thể ở tương lai."))
    if Recognition.objects.filter(unit=unit, level=level, decision_number=decision_number).exists():
        raise DomainError(_("Quyết định số %(number)s đã được ghi nhận cho đơn vị này.") % {"number": decision_number})
    problem = recognition_rule_problem(unit=unit, level=level, decision_date=decision_date)
    if problem and not historical:
        raise RecognitionRuleError(problem)
    if problem and historical:
        permissions.require(actor, "recognition.record_historical")
    recognition = Recognition(
        unit=unit,
        level=level,
        decision_number=decision_number,
        decision_date=decision_date,
        issued_by=issued_by,
        rule_warning=problem or "",
        recorded_by=actor,
    )
    if scan is not None:
        recognition.scan_name, _content_type = upload_check(scan)
        recognition.scan.save(recognition.scan_name, scan, save=False)
    recognition._history_user = actor
    recognition.save()
    return recognition


@transaction.atomic
def recognition_revoke(*, recognition: Recognition, actor, revoked_on: datetime.date, reason: str) -> Recognition:
    permissions.require(actor, LEVEL_CAPABILITY[recognition.level])
    if not permissions.can_see_unit(actor, recognition.unit):
        raise DomainError(_("Bạn không có quyền với đơn vị này."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Cần ghi lý do thu hồi."))
    recognition = Recognition.objects.select_for_update().get(pk=recognition.pk)
    if recognition.revoked_on:
        raise DomainError(_("Quyết định này đã bị thu hồi."))
    if revoked_on < recognition.decision_date:
        raise DomainError(_("Ngày thu hồi không thể trước ngày ký quyết định."))
    if revoked_on > timezone.localdate():
        raise DomainError(_("Ngày thu hồi không thể ở tương lai."))
    recognition.revoked_on = revoked_on
    recognition.revoke_reason = reason
    recognition._history_user = actor
    recognition._change_reason = reason
    recognition.save()
    return recognition


# ---------------------------------------------------------------- recorded results (imports, demo data)


@transaction.atomic
def assessment_record(
    *,
    unit: Unit,
    year: int,
    stage: str,
    results: Mapping[int, str],
    actor,
    reason: str,
    criteria_set: CriteriaSet | None = None,
) -> Assessment:
    """Record results decided outside the web forms (an import file, a paper dossier).

    `stage` "self" gives a submitted assessment, "verified" a verified one; `results` maps
    criterion number → Result value. A verified assessment is never changed this way.
    The caller is responsible for scope and role checks (data_exchange checks every row).
    """
    if stage not in ("self", "verified"):
        raise DomainError(_("Giai đoạn “%(stage)s” không hợp lệ.") % {"stage": stage})
    check_year(year)
    criteria_set = criteria_set or criteria_set_for(unit, year)
    assessment = (
        Assessment.objects.select_for_update()
        .filter(unit=unit, year=year, criteria_set__programme=criteria_set.programme)
        .first()
    )
    if assessment is not None and assessment.status == Status.VERIFIED:
        raise DomainError(_("Đánh giá năm %(year)s của %(unit)s đã được thẩm định, không thể thay đổi.") % {
            "year": year, "unit": unit})
    def apply(result: CriterionResult) -> None:
        value = results.get(result.criterion.number, Result.NOT_YET)
        if stage == "self":
            result.self_result = value
        else:
            if value not in (Result.MET, Result.NOT_MET):
                raise DomainError(_("Kết quả thẩm định phải là Đạt hoặc Chưa đạt."))
            result.verified_result = value
            if result.self_result == Result.NOT_YET:
                result.self_result = value

    if assessment is None:
        assessment = Assessment(unit=unit, year=year, criteria_set=criteria_set)
        assessment._history_user = actor
        assessment._change_reason = reason
        assessment.save()
        new_results = [CriterionResult(assessment=assessment, criterion=c) for c in criteria_set.criteria.all()]
        for result in new_results:
            apply(result)
        bulk_create_with_history(
            new_results, CriterionResult, default_user=actor, default_change_reason=reason
        )
    elif assessment.criteria_set_id != criteria_set.id:
        raise DomainError(_("Đánh giá năm %(year)s của %(unit)s dùng bộ tiêu chí khác.") % {"year": year, "unit": unit})
    else:
        for result in assessment.results.select_related("criterion"):
            before = (result.self_result, result.verified_result)
            apply(result)
            if (result.self_result, result.verified_result) != before:
                result._history_user = actor
                result._change_reason = reason
                result.save()
    target = Status.VERIFIED if stage == "verified" else Status.SUBMITTED
    if assessment.status != target:
        _move(assessment, to=target, actor=actor, reason=reason)
    now = timezone.now()
    assessment.submitted_at = assessment.submitted_at or now
    if target == Status.VERIFIED:
        assessment.verified_at = now
        assessment.verified_by = actor
    refresh_met_counts(assessment)
    _save(assessment, actor=actor, reason=reason)
    return assessment


# ---------------------------------------------------------------- uploaded files (evidence, scanned decisions)

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Extension → content type it must have. The content decides, the name must agree.
ALLOWED_UPLOADS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".docx": DOCX, ".xlsx": XLSX}
# The part an Office Open XML package of each kind must contain.
OOXML_MAIN_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}


def _sniff(upload) -> str | None:
    """The content type the file's bytes say it is (None if not one we accept)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            for content_type, part in OOXML_MAIN_PART.items():
                if part in names:
                    return content_type
    return None


def upload_check(upload) -> tuple[str, str]:
    """Check an uploaded file by size, name and content; return (clean original name, content type)."""
    name = os.path.basename((getattr(upload, "name", "") or "").replace("\\", "/")).strip()[:255]
    if not name or not upload.size:
        raise DomainError(_("Tệp “%(name)s” trống hoặc không đọc được.") % {"name": name or "?"})
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise DomainError(
            _("Tệp “%(name)s” quá lớn (%(size)s MB); tối đa %(limit)s MB.")
            % {"name": name, "size": f"{upload.size / 1048576:.1f}", "limit": f"{limit / 1048576:g}"}
        )
    expected = ALLOWED_UPLOADS.get(os.path.splitext(name)[1].lower())
    actual = _sniff(upload)
    if expected is None or actual != expected:
        raise DomainError(
            _("Tệp “%(name)s” không hợp lệ: chỉ nhận PDF, JPG, PNG, DOCX, XLSX (kiểm tra cả nội dung tệp).")
            % {"name": name}
        )
    return name, actual


def _check_editable(assessment: Assessment, actor) -> None:
    permissions.require(actor, "assessment.edit")
    if not permissions.can_see_unit(actor, assessment.unit):
        raise DomainError(_("Bạn không có quyền với đơn vị này."))
    if assessment.status not in (Status.DRAFT, Status.RETURNED):
        raise DomainError(
            _("Đánh giá ở trạng thái “%(status)s” không thể sửa.") % {"status": assessment.get_status_display()}
        )


@transaction.atomic
def evidence_add(*, result: CriterionResult, actor, upload) -> Evidence:
    """Attach one evidence file to a criterion result of an editable assessment."""
    assessment = Assessment.objects.select_for_update().select_related("unit").get(pk=result.assessment_id)
    _check_editable(assessment, actor)
    name, content_type = upload_check(upload)
    evidence = Evidence(
        result=result, original_name=name, content_type=content_type, size=upload.size, uploaded_by=actor
    )
    evidence.file.save(name, upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, actor) -> None:
    assessment = Assessment.objects.select_for_update().select_related("unit").get(pk=evidence.result.assessment_id)
    _check_editable(assessment, actor)
    storage, stored_name = evidence.file.storage, evidence.file.name
    evidence.delete()
    # The row is gone for good only when the transaction commits; then the file goes too.
    transaction.on_commit(lambda: storage.delete(stored_name))


# ---------------------------------------------------------------- form-level actions (one call per request)


@transaction.atomic
def assessment_self_update(
    *,
    assessment: Assessment,
    actor,
    version: int,
    values: Mapping[int, Mapping[str, str]],
    evidence: Mapping[int, Iterable] | None = None,
    submit: bool = False,
) -> Assessment:
    """The officer's form: save answers, attach files (criterion id → uploads) and optionally submit.

    All or nothing: a bad file or a failed submit leaves the assessment as it was.
    """
    assessment = assessment_save_self(assessment=assessment, actor=actor, version=version, values=values)
    results = {r.criterion_id: r for r in assessment.results.all()}
    for criterion_id, uploads in (evidence or {}).items():
        if criterion_id not in results:
            raise DomainError(_("Dữ liệu gửi lên có tiêu chí không thuộc bộ tiêu chí của đánh giá này."))
        for upload in uploads:
            evidence_add(result=results[criterion_id], actor=actor, upload=upload)
    if submit:
        assessment = assessment_submit(assessment=assessment, actor=actor, version=assessment.version)
    return assessment


REVIEW_DECISIONS = ("save", "return", "verify")


@transaction.atomic
def assessment_review_update(
    *,
    assessment: Assessment,
    actor,
    version: int,
    values: Mapping[int, Mapping[str, str]],
    decision: str = "save",
    reason: str = "",
) -> Assessment:
    """The reviewer's form: save the per-criterion review, then return it, verify it, or neither."""
    if decision not in REVIEW_DECISIONS:
        raise DomainError(_("Thao tác không hợp lệ."))
    if decision == "return" and not (reason or "").strip():
        raise DomainError(_("Cần ghi lý do trả lại."))
    assessment = assessment_save_review(assessment=assessment, actor=actor, version=version, values=values)
    if decision == "return":
        assessment = assessment_return(assessment=assessment, actor=actor, reason=reason, version=assessment.version)
    elif decision == "verify":
        assessment = assessment_verify(assessment=assessment, actor=actor, version=assessment.version)
    return assessment
