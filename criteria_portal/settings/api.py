"""The web API (issue 20): Django REST framework and its OpenAPI schema (drf-spectacular). Read by base.py."""

import os

REST_FRAMEWORK = {
    # The token first: a request without credentials is then a 401 with `WWW-Authenticate: Bearer`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # the browser (CSRF for unsafe methods)
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "api.permissions.TokenMayWrite"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# Requests per token (per user for a browser session), e.g. "120/min", "5000/hour".
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/min")

SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng tiêu chí — API",
    "DESCRIPTION": (
        "API của Cổng tiêu chí (DESIGN §5): đọc địa giới, chương trình, bộ tiêu chí, đánh giá, công nhận, "
        "đăng ký, mô hình tự quản và số liệu báo cáo; cán bộ Công an xã nhập và gửi đánh giá, cán bộ thẩm định "
        "trả lại và xác nhận, ghi nhận và thu hồi công nhận. Cùng phạm vi và quy tắc như các trang: ngoài phạm "
        "vi → 404, trong phạm vi nhưng không được phép → 403, thiếu mã truy cập → 401. Thông báo lỗi theo "
        "Accept-Language (vi mặc định, en)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AssessmentStatus": "assessments.models.Status",
        "CriterionResultValue": "assessments.models.Result",
        "UnitKindEnum": "communes.models.UnitKind",
        "TargetKindEnum": "assessments.models.TargetKind",
        "ModelKindEnum": "inventory.models.ModelKind",
    },
}
