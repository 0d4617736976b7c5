from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from criteria_portal.admin_history import HistoryAdmin

from . import services
from .forms import ProgrammeAdminForm
from .models import (
    Assessment,
    CriteriaSet,
    Criterion,
    CriterionResult,
    Programme,
    ProgrammeYear,
    Recognition,
    Registration,
    Target,
    Transition,
)


class ProgrammeYearInline(admin.TabularInline):
    """A year whose calendar differs from the defaults (e.g. a deadline extended by a document)."""

    model = ProgrammeYear
    extra = 0
    fields = ("year", "window_start", "window_end", "commune_deadline", "district_deadline", "note")
    verbose_name_plural = _("Lịch riêng của từng năm (để trống: dùng lịch hằng năm ở trên)")


@admin.register(ProgrammeYear)
class ProgrammeYearAdmin(HistoryAdmin):
    list_display = ("programme", "year", "window_start", "window_end", "commune_deadline", "district_deadline", "note")
    list_filter = ("programme", "year")
    list_select_related = ("programme",)
    fields = ("programme", "year", "window_start", "window_end", "commune_deadline", "district_deadline", "note")


@admin.register(Programme)
class ProgrammeAdmin(HistoryAdmin):
    form = ProgrammeAdminForm
    inlines = [ProgrammeYearInline]
    list_display = ("code", "name", "resolution_number", "territory_province", "territory_district", "first_year",
                    "last_year", "is_default")
    search_fields = ("code", "name", "resolution_number")
    autocomplete_fields = ("territory_province", "territory_district")
    fieldsets = (
        (None, {"fields": ("code", "name", "is_default", "unit_kinds")}),
        (_("Nghị quyết"), {"fields": ("resolution_number", "resolution_date", "resolution_issuer", "resolution_text")}),
        (_("Địa bàn và thời gian"), {"fields": ("territory_province", "territory_district", "first_year", "last_year")}),
        (_("Lịch hằng năm"), {"fields": ("window_start", "window_end", "commune_deadline", "district_deadline")}),
    )


set_in_use = services.criteria_set_in_use


def set_frozen(criteria_set) -> bool:
    """Criteria of a set in use are frozen: adding, changing or deleting one would silently change
    what every assessment on it means (a 17th criterion makes every 16/16 unit unrecognisable)."""
    return set_in_use(criteria_set)


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0
    fields = ("number", "title", "wording", "evidence_guidance")

    def has_add_permission(self, request, obj=None):
        return not set_frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not set_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not set_frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(CriteriaSet)
class CriteriaSetAdmin(HistoryAdmin):
    list_display = ("name", "version", "programme", "valid_from_year", "valid_to_year", "published", "criteria_count")
    list_filter = ("programme", "published", "valid_from_year")
    search_fields = ("name", "source_document")
    inlines = [CriterionInline]
    actions = ["copy_as_new_version", "publish"]

    @admin.display(description=_("Số tiêu chí"))
    def criteria_count(self, obj):
        return obj.criteria.count()

    def get_readonly_fields(self, request, obj=None):
        # A set used by an assessment is never edited destructively: copy it as a new version.
        if set_in_use(obj):
            return ("programme", "version", "name", "valid_from_year", "source_document", "recognition_threshold",
                    "published")
        if obj is not None and obj.published:
            return ("programme", "version", "published")
        return ("published",)

    def has_delete_permission(self, request, obj=None):
        return not set_in_use(obj) and super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)  # one by one: a set in use must never go in a bulk delete
        return actions

    @admin.action(description=_("Sao chép thành phiên bản mới (bản nháp)"))
    def copy_as_new_version(self, request, queryset):
        created = [services.criteria_set_copy(criteria_set=original, actor=request.user) for original in queryset]
        self.message_user(
            request,
            ngettext("Đã tạo %(n)d bản nháp; hãy sửa nội dung và năm áp dụng rồi chọn “Công bố”.",
                     "Đã tạo %(n)d bản nháp; hãy sửa nội dung và năm áp dụng rồi chọn “Công bố”.", len(created))
            % {"n": len(created)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Công bố (áp dụng từ năm đã ghi)"))
    def publish(self, request, queryset):
        for criteria_set in queryset.order_by("valid_from_year"):
            try:
                closed = services.criteria_set_publish(criteria_set=criteria_set, actor=request.user)
            except services.DomainError as error:
                self.message_user(request, f"{criteria_set}: {error}", messages.ERROR)
                continue
            self.message_user(request, _("Đã công bố %(set)s.") % {"set": criteria_set}, messages.SUCCESS)
            for other in closed:
                self.message_user(request, _("%(set)s nay áp dụng đến năm %(year)s.")
                                  % {"set": other, "year": other.valid_to_year}, messages.INFO)


class CriterionAdminForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ("criteria_set", "number", "title", "wording", "evidence_guidance")

    def clean_criteria_set(self):
        criteria_set = self.cleaned_data["criteria_set"]
        if set_frozen(criteria_set):
            raise forms.ValidationError(
                _("Bộ tiêu chí này đã được dùng để đánh giá nên không thể thêm hoặc sửa tiêu chí; hãy sao chép "
                  "thành phiên bản mới.")
            )
        return criteria_set


@admin.register(Criterion)
class CriterionAdmin(HistoryAdmin):
    form = CriterionAdminForm
    list_display = ("number", "title", "criteria_set")
    list_filter = ("criteria_set",)
    search_fields = ("title", "wording")

    def has_change_permission(self, request, obj=None):
        if obj is not None and set_frozen(obj.criteria_set):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and set_frozen(obj.criteria_set):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyAdminMixin:
    """Workflow data changes only through the portal's services (history, locking, rules)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CriterionResultInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CriterionResult
    fields = ("criterion", "self_result", "verified_result", "note", "reviewer_comment")
    readonly_fields = fields
    extra = 0


class TransitionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Transition
    fields = ("at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ("unit", "year", "status", "self_met_count", "verified_met_count", "updated_at")
    list_filter = ("year", "status", "unit__district", "unit__kind", "criteria_set")
    search_fields = ("unit__name", "unit__code")
    list_select_related = ("unit", "criteria_set")
    inlines = [CriterionResultInline, TransitionInline]


class RegistrationAdminForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ("programme", "unit", "year", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "programme" in self.fields:
            self.fields["programme"].required = False  # empty: the unit's one programme that year


@admin.register(Registration)
class RegistrationAdmin(HistoryAdmin):
    form = RegistrationAdminForm
    list_display = ("unit", "programme", "year", "note", "created_by", "created_at")
    list_filter = ("programme", "year", "unit__district")
    search_fields = ("unit__name", "unit__code")
    autocomplete_fields = ("unit",)
    readonly_fields = ("created_by",)

    def get_readonly_fields(self, request, obj=None):
        # A registration is recorded or deleted, not rewritten (the history keeps who did what).
        return ("created_by",) if obj is None else ("programme", "unit", "year", "created_by")

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            obj.save(update_fields=["note"])
            return
        try:
            created = services.registration_create(
                unit=obj.unit, year=obj.year, actor=request.user, note=obj.note,
                programme=obj.programme.code if obj.programme_id else None,
            )
        except services.DomainError as error:
            self.message_user(request, str(error), messages.ERROR)
            obj._not_saved = True
            return
        obj.pk, obj._state, obj.created_by = created.pk, created._state, created.created_by

    def delete_model(self, request, obj):
        services.registration_delete(registration=obj, actor=request.user)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)  # one by one, through the service
        return actions

    def log_addition(self, request, obj, message):
        if getattr(obj, "_not_saved", False) or obj.pk is None:
            return None
        return super().log_addition(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(obj, "_not_saved", False) or obj.pk is None:
            return HttpResponseRedirect(request.path)
        return super().response_add(request, obj, post_url_continue)


class RecognitionAdminForm(forms.ModelForm):
    """Checks a decision the way the recognition pages do, before anything is saved."""

    class Meta:
        model = Recognition
        fields = ("programme", "unit", "level", "decision_number", "decision_date", "issued_by", "scan",
                  "revoked_on", "revoke_reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "programme" in self.fields:
            # Left empty, the service decides (the one programme the unit is in on the decision date).
            self.fields["programme"].required = False

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            return data
        day = data.get("decision_date")
        if day and day > timezone.localdate():
            self.add_error("decision_date", _("Ngày ký quyết định không thể ở tương lai."))
        scan = data.get("scan")
        if scan:
            try:
                services.upload_check(scan)
            except services.DomainError as error:
                self.add_error("scan", str(error))
        return data


@admin.register(Recognition)
class RecognitionAdmin(HistoryAdmin):
    """Adding goes through services.recognition_create (as a historical record: a broken rule is kept as
    a warning); a recorded decision is not edited, only revoked through services.recognition_revoke."""

    form = RecognitionAdminForm
    list_display = ("unit", "programme", "level", "decision_number", "decision_date", "issued_by", "revoked_on",
                    "has_warning")
    list_filter = ("programme", "level", "unit__district", "decision_date", "revoked_on")
    search_fields = ("unit__name", "unit__code", "decision_number")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit", "programme")

    @admin.display(description=_("Cảnh báo"), boolean=True)
    def has_warning(self, obj):
        return bool(obj.rule_warning)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("rule_warning", "recorded_by", "scan_name")
        editable = () if obj.revoked_on else ("revoked_on", "revoke_reason")
        return tuple(f.name for f in Recognition._meta.fields if f.name not in editable and f.name != "id")

    def has_delete_permission(self, request, obj=None):
        return False  # a decision is revoked, never deleted

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if not change:
                created = services.recognition_create(
                    unit=obj.unit, level=obj.level, decision_number=obj.decision_number,
                    decision_date=obj.decision_date, issued_by=obj.issued_by, actor=request.user,
                    scan=data.get("scan") or None, historical=True,
                    programme=obj.programme.code if obj.programme_id else None,
                )
                obj.pk, obj._state = created.pk, created._state
                obj.rule_warning = created.rule_warning
            elif "revoked_on" in form.changed_data and data.get("revoked_on"):
                services.recognition_revoke(recognition=obj, actor=request.user, revoked_on=data["revoked_on"],
                                            reason=data.get("revoke_reason") or "")
        except services.DomainError as error:
            # Nothing was written; say why on the list page.
            self.message_user(request, str(error), messages.ERROR)
            obj._not_saved = True
            return
        if obj.rule_warning:
            self.message_user(request, _("Đã lưu kèm cảnh báo: %(problem)s") % {"problem": obj.rule_warning},
                              messages.WARNING)

    def log_addition(self, request, obj, message):
        if getattr(obj, "_not_saved", False) or obj.pk is None:
            return None
        return super().log_addition(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(obj, "_not_saved", False) or obj.pk is None:
            return HttpResponseRedirect(request.path)
        return super().response_add(request, obj, post_url_continue)

    def save_related(self, request, form, formsets, change):
        pass  # no inlines or many-to-many fields


@admin.register(Target)
class TargetAdmin(HistoryAdmin):
    list_display = ("key", "programme", "deadline", "kind", "level", "band", "number")
    list_filter = ("programme", "deadline", "kind")
    search_fields = ("key", "text")
