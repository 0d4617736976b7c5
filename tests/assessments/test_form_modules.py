"""The officer form's scripts are ES modules served by the app itself: in production (WhiteNoise's manifest
storage) every import names the hashed file, so a page always runs one consistent set of modules."""

import json
import re

from django.core.management import call_command

IMPORT = re.compile(r"""(?:import|export)[^;]*?from\s*["']([^"']+)["']""")


def test_production_static_files_rewrite_module_imports_to_hashed_names(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "criteria_portal.storage.StaticFilesStorage"}}
    settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["js", "css", "svg", "map", "woff2"]  # speed: hashing is the point
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["vendor/*", "admin/*"])
    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    modules = [name for name in paths if name.startswith(("assessments/js/", "portal/")) and name.endswith(".js")]
    assert "assessments/js/main.js" in modules and "portal/offline.js" in modules
    seen = 0
    for name in modules:
        hashed = tmp_path / paths[name]
        for target in IMPORT.findall(hashed.read_text(encoding="utf-8")):
            resolved = (hashed.parent / target).resolve()
            assert resolved.exists(), (name, target)
            assert resolved.relative_to(tmp_path).as_posix() in paths.values(), (name, target)
            seen += 1
    assert seen >= 10
