"""The OpenAPI schema and its interactive docs, served with the app's own files (drf-spectacular-sidecar).

Swagger UI's start script is a separate file (SpectacularSwaggerSplitView), so the page needs no inline
script under the portal's CSP (`script-src 'self' 'nonce-…'`).
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class SchemaView(SpectacularAPIView):
    pass


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
