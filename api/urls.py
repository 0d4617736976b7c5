"""/api/: the schema, its docs, and version 1 of the web API (DESIGN §5)."""

from django.urls import include, path, re_path

from .views import assessments, communes, decisions, docs, figures, inventory, programmes
from .views.base import NotFoundView

app_name = "api"

v1 = [
    path("provinces/", communes.ProvinceListView.as_view(), name="province_list"),
    path("provinces/<int:pk>/", communes.ProvinceDetailView.as_view(), name="province_detail"),
    path("units/", communes.UnitListView.as_view(), name="unit_list"),
    path("units/<int:pk>/", communes.UnitDetailView.as_view(), name="unit_detail"),
    path("programmes/", programmes.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/<slug:code>/", programmes.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("programmes/<slug:code>/frame/", programmes.ProgrammeFrameView.as_view(), name="programme_frame"),
    path("criteria-sets/", programmes.CriteriaSetListView.as_view(), name="criteria_set_list"),
    path("criteria-sets/<int:pk>/", programmes.CriteriaSetDetailView.as_view(), name="criteria_set_detail"),
    path("assessments/", assessments.AssessmentListView.as_view(), name="assessment_list"),
    path("assessments/<int:pk>/", assessments.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("assessments/<int:pk>/results/", assessments.AssessmentResultView.as_view(), name="assessment_result"),
    path("assessments/<int:pk>/submit/", assessments.AssessmentSubmitView.as_view(), name="assessment_submit"),
    path("assessments/<int:pk>/return/", assessments.AssessmentReturnView.as_view(), name="assessment_return"),
    path("assessments/<int:pk>/verify/", assessments.AssessmentVerifyView.as_view(), name="assessment_verify"),
    path("recognitions/", decisions.RecognitionListView.as_view(), name="recognition_list"),
    path("recognitions/<int:pk>/", decisions.RecognitionDetailView.as_view(), name="recognition_detail"),
    path("recognitions/<int:pk>/revoke/", decisions.RecognitionRevokeView.as_view(), name="recognition_revoke"),
    path("registrations/", decisions.RegistrationListView.as_view(), name="registration_list"),
    path("model-types/", inventory.ModelTypeListView.as_view(), name="model_type_list"),
    path("model-counts/", inventory.ModelCountListView.as_view(), name="model_count_list"),
    path("reports/progress/", figures.ProgressView.as_view(), name="progress"),
    path("reports/completeness/", figures.CompletenessView.as_view(), name="completeness"),
    path("reports/national/", figures.NationalView.as_view(), name="national"),
    path("reports/trends/", figures.TrendsView.as_view(), name="trends"),
]

urlpatterns = [
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.DocsView.as_view(), name="docs"),
    path("v1/", include(v1)),
    # Anything else under /api/ is a JSON 404, not the HTML page.
    re_path(r"^", NotFoundView.as_view(), name="not_found"),
]
