from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    Assessment,
    CriteriaSet,
    Criterion,
    CriterionResult,
    Programme,
    Recognition,
    Registration,
    Target,
    Transition,
)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit_kinds")
    search_fields = ("code", "name")


def set_in_use(criteria_set) -> bool:
    return criteria_set is not None and criteria_set.pk is not None and criteria_set.assessments.exists()


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0
    fields = ("number", "title", "wording", "evidence_guidance")

    def _locked(self, obj):
        return set_in_use(obj)

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


@admin.register(CriteriaSet)
class CriteriaSetAdmin(SimpleHistoryAdmin):
    list_display = ("name", "version", "programme", "valid_from_year", "valid_to_year", "criteria_count")
    list_filter = ("programme", "valid_from_year")
    search_fields = ("name", "source_document")
    inlines = [CriterionInline]
    actions = ["copy_as_new_version"]

    @admin.display(description=_("Số tiêu chí"))
    def criteria_count(self, obj):
        return obj.criteria.count()

    def get_readonly_fields(self, request, obj=None):
        # A set used by an assessment is never edited destructively: copy it as a new version.
        if set_in_use(obj):
            return ("programme", "version", "name", "valid_from_year", "source_document", "recognition_threshold")
        return ()

    def has_delete_permission(self, request, obj=None):
        return not set_in_use(obj) and super().has_delete_permission(request, obj)

    @admin.action(description=_("Sao chép thành phiên bản mới"))
    def copy_as_new_version(self, request, queryset):
        created = []
        with transaction.atomic():
            for original in queryset:
                top = CriteriaSet.objects.filter(programme=original.programme).aggregate(v=Max("version"))["v"]
                copy = CriteriaSet.objects.create(
                    programme=original.programme,
                    name=original.name,
                    version=(top or 0) + 1,
                    valid_from_year=original.valid_from_year,
                    valid_to_year=original.valid_to_year,
                    source_document=original.source_document,
                    recognition_threshold=original.recognition_threshold,
                )
                Criterion.objects.bulk_create(
                    Criterion(criteria_set=copy, number=c.number, title=c.title, wording=c.wording,
                              evidence_guidance=c.evidence_guidance)
                    for c in original.criteria.all()
                )
                created.append(copy)
        self.message_user(
            request,
            ngettext("Đã tạo %(n)d phiên bản mới; hãy sửa nội dung và năm áp dụng.",
                     "Đã tạo %(n)d phiên bản mới; hãy sửa nội dung và năm áp dụng.", len(created))
            % {"n": len(created)},
            messages.SUCCESS,
        )


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title", "criteria_set")
    list_filter = ("criteria_set",)
    search_fields = ("title", "wording")

    def has_change_permission(self, request, obj=None):
        if obj is not None and set_in_use(obj.criteria_set):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and set_in_use(obj.criteria_set):
            return False
        return super().has_delete_permission(request, obj)


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
class AssessmentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("unit", "year", "status", "self_met_count", "verified_met_count", "updated_at")
    list_filter = ("year", "status", "unit__district", "unit__kind", "criteria_set")
    search_fields = ("unit__name", "unit__code")
    list_select_related = ("unit", "criteria_set")
    inlines = [CriterionResultInline, TransitionInline]


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "year", "note", "created_by", "created_at")
    list_filter = ("year", "unit__district")
    search_fields = ("unit__name", "unit__code")
    autocomplete_fields = ("unit",)
    readonly_fields = ("created_by",)

    def save_model(self, request, obj, form, change):
        obj.created_by = obj.created_by or request.user
        super().save_model(request, obj, form, change)


@admin.register(Recognition)
class RecognitionAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "level", "decision_number", "decision_date", "issued_by", "revoked_on", "has_warning")
    list_filter = ("level", "unit__district", "decision_date", "revoked_on")
    search_fields = ("unit__name", "unit__code", "decision_number")
    autocomplete_fields = ("unit",)
    readonly_fields = ("rule_warning", "recorded_by", "scan_name")
    list_select_related = ("unit",)

    @admin.display(description=_("Cảnh báo"), boolean=True)
    def has_warning(self, obj):
        return bool(obj.rule_warning)

    def save_model(self, request, obj, form, change):
        # Administrators may record historical decisions; a broken §3 rule is kept as a warning.
        problem = services.recognition_rule_problem(
            unit=obj.unit, level=obj.level, decision_date=obj.decision_date
        )
        obj.rule_warning = problem or ""
        obj.recorded_by = obj.recorded_by or request.user
        super().save_model(request, obj, form, change)
        if problem:
            self.message_user(request, _("Đã lưu kèm cảnh báo: %(problem)s") % {"problem": problem}, messages.WARNING)


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ("key", "resolution", "deadline", "kind", "level", "band", "number")
    list_filter = ("resolution", "deadline", "kind")
    search_fields = ("key", "text")
