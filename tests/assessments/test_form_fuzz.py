"""The officer's form: arbitrary posted values never give a 500 and never write on refusal (hypothesis)."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Assessment, CriterionResult

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
value = st.one_of(st.text(max_size=30), st.sampled_from(["met", "not_met", "not_yet", "", "save", "submit",
                                                         "999999", "-1", "1e3", "\x00"]))


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["version", "action", "c{id}_result", "c{id}_note", "c0_result",
                                               "c999999_note", "junk"]), value, max_size=6))
def test_arbitrary_posts_never_500_and_refusals_write_nothing(client, officer_user, draft, fields):
    result = draft.results.first()
    data = {k.replace("{id}", str(result.criterion_id)): v for k, v in fields.items()}
    before = (Assessment.objects.get(pk=draft.pk).version, list(CriterionResult.objects.order_by("pk").values_list(
        "self_result", "note")))
    client.force_login(officer_user)
    response = client.post(reverse("assessments:assessment_detail", args=[draft.pk]), data)
    assert response.status_code in (302, 400, 409)
    if response.status_code != 302:
        after = (Assessment.objects.get(pk=draft.pk).version, list(CriterionResult.objects.order_by("pk").values_list(
            "self_result", "note")))
        assert after == before
