"""Vietnamese number formats: decimal comma and dot thousands separator ("10,5 MB", "1.200") in pages,
messages and export labels; English keeps its own (10.5, 1,200). Years and ids are never grouped."""

import types
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from assessments.services import DomainError
from assessments.services.uploads import upload_check
from data_exchange.formats import Limits


def render(source, **context):
    return Template("{% load humanize %}" + source).render(Context(context))


def test_sizes_and_counts_in_templates():
    with translation.override("vi"):
        assert render("{{ s|filesizeformat }}", s=11010048) == "10,5\xa0MB"  # a no-break space before the unit
        assert render("{{ n|intcomma }} · {{ y }}", n=1200, y=2026) == "1.200 · 2026"
        assert render("{{ f }}", f=77.5) == "77,5"
    with translation.override("en"):
        assert render("{{ s|filesizeformat }} {{ n|intcomma }}", s=11010048, n=1200) == "10.5\xa0MB 1,200"


def test_a_file_too_large_is_refused_with_a_vietnamese_size():
    upload = SimpleUploadedFile("hoso.pdf", b"%PDF-1.4\n")
    upload.size = 11010048  # 10.5 MiB, over the 10 MB limit
    with translation.override("vi"), pytest.raises(DomainError) as error:
        upload_check(upload)
    assert "(10,5 MB); tối đa 10 MB" in str(error.value)


def test_import_limits_read_with_a_thousands_separator():
    limits = Limits(rows=20000, columns=200, cells=1000000, inflated_bytes=50 * 2**20, compression_ratio=100,
                    cell_chars=1000)
    with translation.override("vi"):
        assert "hơn 20.000 dòng" in str(limits.too_many_rows())
        assert "hơn 200 cột" in str(limits.too_many_columns())
    with translation.override("en"):
        assert "20,000" in str(limits.too_many_rows())


def test_import_preview_groups_large_counts():
    context = {
        "pending": types.SimpleNamespace(pk=uuid.uuid4(), file_name="danh-gia.xlsx"), "kind_label": "Đánh giá",
        "problems": [], "skipped_rows": 1500, "totals": {"created": 12000, "updated": 3, "unchanged": 0},
        "areas": [{"name": "Huyện A", "created": 12000, "updated": 3, "unchanged": 0}],
    }
    with translation.override("vi"):
        html = render_to_string("data_exchange/preview.html", context)
    assert "Sẽ tạo mới 12.000, cập nhật 3, giữ nguyên 0." in html and "Bỏ qua 1.500 dòng trống." in html
    assert '<td class="text-end">12.000</td>' in html
