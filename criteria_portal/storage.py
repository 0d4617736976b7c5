"""Static files in production: WhiteNoise's compressed manifest storage, with the ES modules' imports rewritten to
the hashed file names (Django's opt-in), so that the officer form's modules (assessments/js/, portal/offline.js)
are always one consistent set, each cached for ever under its own hash."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
