"""Query parameters of the read endpoints: declared here once, so the schema states their type, enum and
bounds, and a bad value is a 400 with a message (never ignored, never a 500)."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError

from assessments.models import MAX_YEAR, MIN_YEAR, Status
from communes.models import UnitKind
from inventory.models import CountStatus
from reports.params import BadParameter, year_in_range

from ..fields import (
    QueryBooleanField,
    QueryIntegerField,
    Serializer,
    StrictChoiceField,
    StrictDateField,
    StrictSlugField,
)
from .decisions import LEVEL_CHOICES

MAX_ID = 2**63 - 1
MAX_CODE = 2**31 - 1


def year_in_reach(year: int) -> None:
    """The years the report pages accept (reports/params.py): a far year is a 400, not eighty empty years."""
    try:
        year_in_range(year)
    except BadParameter as exc:
        raise ValidationError(str(exc)) from None


def year_field(help_text: str = "") -> QueryIntegerField:
    return QueryIntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, required=False, help_text=help_text,
                             validators=[year_in_reach])


def ordering_field(*keys: str, default: str) -> StrictChoiceField:
    choices = [k for key in keys for k in (key, f"-{key}")]
    return StrictChoiceField(choices=choices, required=False,
                             help_text=f"Sắp xếp theo; “-” đứng trước là giảm dần (mặc định {default}).")


class ProvinceParams(Serializer):
    on = StrictDateField(required=False, help_text="Chỉ các tỉnh có hiệu lực vào ngày này (YYYY-MM-DD); "
                                                   "bỏ trống: mọi tỉnh, kể cả đã hết hiệu lực.")


class UnitParams(Serializer):
    on = StrictDateField(required=False, help_text="Chỉ các đơn vị có hiệu lực vào ngày này (YYYY-MM-DD); "
                                                   "bỏ trống: mọi đơn vị, kể cả đã hết hiệu lực.")
    province = QueryIntegerField(min_value=0, max_value=MAX_CODE, required=False, help_text="Mã GSO của tỉnh.")
    district = QueryIntegerField(min_value=0, max_value=MAX_CODE, required=False, help_text="Mã GSO của huyện.")
    code = QueryIntegerField(min_value=0, max_value=MAX_CODE, required=False,
                              help_text="Mã GSO của đơn vị (mã có thể được dùng lại: kết hợp với on=).")
    kind = StrictChoiceField(choices=UnitKind.choices, required=False)
    ordering = ordering_field("code", "name", default="code")


class ProgrammeParams(Serializer):
    year = year_field("Năm của lịch (mặc định năm nay).")


class FrameParams(Serializer):
    year = year_field("Đơn vị giữ vị trí vào 31/12 của năm này (mặc định năm nay).")


class CriteriaSetParams(Serializer):
    programme = StrictSlugField(max_length=50, required=False, help_text="Mã chương trình.")
    year = year_field("Chỉ các bộ đã công bố áp dụng cho năm này.")


class AssessmentParams(Serializer):
    programme = StrictSlugField(max_length=50, required=False, help_text="Mã chương trình.")
    year = year_field()
    unit = QueryIntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="`id` của đơn vị.")
    status = StrictChoiceField(choices=Status.choices, required=False)
    ordering = ordering_field("year", "unit", "updated_at", default="-year,unit")


class RecognitionParams(Serializer):
    programme = StrictSlugField(max_length=50, required=False)
    unit = QueryIntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="`id` của đơn vị.")
    level = StrictChoiceField(choices=LEVEL_CHOICES, required=False)
    revoked = QueryBooleanField(required=False, allow_null=True, default=None,
                                 help_text="true: chỉ quyết định đã thu hồi; false: chỉ quyết định còn hiệu lực.")
    ordering = ordering_field("decision_date", "unit", default="-decision_date,unit")


class RegistrationParams(Serializer):
    programme = StrictSlugField(max_length=50, required=False)
    year = year_field()
    unit = QueryIntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="`id` của đơn vị.")


class ModelCountParams(Serializer):
    year = year_field()
    unit = QueryIntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="`id` của đơn vị.")
    model_type = StrictSlugField(max_length=50, required=False, help_text="Mã loại mô hình.")
    status = StrictChoiceField(choices=CountStatus.choices, required=False)


FIGURES = [("official", "Số liệu chính thức"), ("preliminary", "Số liệu sơ bộ")]


class ProgressParams(Serializer):
    programme = StrictSlugField(max_length=50, required=False, help_text="Mã chương trình (mặc định: chương "
                                                                         "trình mặc định trong dữ liệu).")
    year = year_field("Năm báo cáo (mặc định: năm gần nhất có số liệu).")
    figures = StrictChoiceField(choices=FIGURES, required=False, help_text="Mặc định official.")


class TrendsParams(ProgressParams):
    pass


class CompletenessParams(Serializer):
    programme = StrictSlugField(max_length=50, required=False)
    year = year_field("Mặc định năm nay.")
    as_of = StrictDateField(required=False, help_text="Tình trạng vào cuối ngày này (mặc định hôm nay).")


class NationalParams(Serializer):
    year = year_field("Mặc định năm nay.")
