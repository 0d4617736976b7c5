"""The schema tells the truth and the docs are served by the app itself under its CSP."""

from __future__ import annotations

import io
import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import get_resolver

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_generates_without_a_warning(tmp_path):
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(path), "--validate", "--fail-on-warn", stdout=io.StringIO(),
                 stderr=io.StringIO())
    assert yaml.safe_load(path.read_text())["openapi"].startswith("3.")


def test_every_v1_route_is_documented(schema):
    from api.urls import v1

    routes = {"/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern)).replace("{pk}", "{id}") for p in v1}
    assert routes == set(schema["paths"])


def test_every_operation_states_its_errors_and_every_parameter_its_type(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403", "404", "429"} <= codes, (method, path)
            assert operation["security"] == [{"accessToken": []}, {"cookieAuth": []}]
            if method == "post":
                assert {"400", "409", "415"} <= codes, (method, path)
            for parameter in operation.get("parameters", []):
                assert parameter["schema"].get("type") or parameter["schema"].get("enum"), (path, parameter)
    assert schema["components"]["securitySchemes"]["accessToken"] == {
        "type": "http", "scheme": "bearer", "description": schema["components"]["securitySchemes"]["accessToken"][
            "description"]}


def test_pagination_filters_and_ordering_are_documented(schema):
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/assessments/"]["get"]["parameters"]}
    assert parameters["limit"] == {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}
    assert parameters["year"]["minimum"] == 2015 and parameters["year"]["maximum"] == 2100
    assert parameters["status"]["enum"] == ["draft", "submitted", "returned", "verified"]
    assert "-year" in parameters["ordering"]["enum"]
    assert {"programme", "unit", "offset"} <= set(parameters)


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=abc", "offset=-1", "ordering=name", "year=20x5",
                                   "status=open", "unit=0"])
def test_invalid_query_values_are_400_never_ignored(client, admin_user, query):
    client.force_login(admin_user)
    response = client.get(f"/api/v1/assessments/?{query}")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert response.json()["errors"]


def test_an_unknown_api_address_is_a_json_404(client, admin_user):
    client.force_login(admin_user)
    for path in ("/api/v1/nothing/", "/api/v1/assessments/abc/", "/api/v1/assessments/1/nothing",
                 "/api/v1/units/%0A/"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path


def test_a_missing_slash_is_a_404_that_says_so(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/api/v1/units")
    assert response.status_code == 404 and response.json()["detail"] == "Các địa chỉ API kết thúc bằng “/”: /api/v1/units/"


def test_a_huge_id_is_a_404(client, admin_user):
    client.force_login(admin_user)
    for kind in ("assessments", "units", "recognitions", "provinces", "criteria-sets"):
        assert client.get(f"/api/v1/{kind}/{10 ** 30}/").status_code == 404


def test_the_docs_use_the_apps_own_files_and_no_inline_script(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all('src="/' in s for s in scripts), scripts  # same origin, none inline
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<style" not in page and "cdn" not in page.lower()
    init = re.search(r'<script src="(/api/docs/\?[^"]*script[^"]*)"', page).group(1).replace("&amp;", "&")
    response = client.get(init)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()


def test_the_api_urls_are_mounted():
    resolver = get_resolver()
    assert resolver.resolve("/api/v1/units/").url_name == "unit_list"
    assert resolver.resolve("/accounts/tokens/").url_name == "list"
