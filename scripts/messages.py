"""Refresh the translation catalogues.

Source strings are written in Vietnamese, the portal's default language, using the terms of
shared/GLOSSARY.md; so the `vi` catalogue is the identity (filled here, never by hand) and the
`en` catalogue holds the English translations, written by hand.

    python scripts/messages.py            # every catalogue
    python scripts/messages.py reports    # one app's catalogue only

Apps with their own `locale/` folder own their strings; the project `locale/` holds the rest
(templates/, criteria_portal/, accounts/, communes/).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS_WITH_LOCALE = ["assessments", "reports", "data_exchange"]
IGNORE = [".venv/*", "node_modules/*", "staticfiles/*", "tests/*", "scripts/*"]


def run_makemessages(where: Path, ignore: list[str]) -> None:
    django_admin = ROOT / ".venv" / "bin" / "django-admin"
    args = [str(django_admin), "makemessages", "-l", "vi", "-l", "en", "--no-obsolete", "--no-location"]
    for pattern in ignore:
        args += ["--ignore", pattern]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "criteria_portal.settings.dev"}
    (where / "locale").mkdir(exist_ok=True)
    subprocess.run(args, cwd=where, env=env, check=True)


ENTRY = re.compile(r'(msgid ((?:".*"\n)+)msgstr )((?:".*"\n)+)', re.M)
PLURAL = re.compile(r'(msgid ((?:".*"\n)+)msgid_plural (?:".*"\n)+)((?:msgstr\[\d\] (?:".*"\n)+)+)', re.M)


def fill_identity(po: Path) -> None:
    """Vietnamese is the source language: msgstr = msgid, and nothing fuzzy."""
    text = po.read_text(encoding="utf-8").replace("#, fuzzy\n", "")
    # "#, fuzzy, python-format" → "#, python-format"; the previous-msgid hints go with the flag.
    text = re.sub(r"^#, fuzzy, ", "#, ", text, flags=re.M)
    text = re.sub(r"^#\| .*\n", "", text, flags=re.M)
    head, sep, body = text.partition("\n\n")

    def single(m):
        return m.group(1) + m.group(2)

    def plural(m):
        return m.group(1) + "msgstr[0] " + m.group(2)

    body = PLURAL.sub(plural, body)
    body = ENTRY.sub(single, body)
    head = head.replace('"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"', '"Plural-Forms: nplurals=1; plural=0;\\n"')
    po.write_text(head + sep + body, encoding="utf-8")


def main(targets: list[str]) -> None:
    targets = targets or ["."] + APPS_WITH_LOCALE
    for target in targets:
        where = ROOT if target == "." else ROOT / target
        ignore = IGNORE + ([f"{a}/*" for a in APPS_WITH_LOCALE] if target == "." else [])
        run_makemessages(where, ignore)
        fill_identity(where / "locale" / "vi" / "LC_MESSAGES" / "django.po")
        print(f"{where / 'locale'}: vi filled; translate the empty entries of en/LC_MESSAGES/django.po")


if __name__ == "__main__":
    main(sys.argv[1:])
