"""The English catalogue is complete, current with the code, and compiled."""

from __future__ import annotations

import gettext
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.core.management import call_command

import cruscotto.web

WEB = Path(cruscotto.web.__file__).resolve().parent
PO = WEB / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
HOW_TO_UPDATE = (
    "run: cd src/cruscotto/web && django-admin makemessages -l en --ignore 'static/*' "
    "--no-obsolete (with DJANGO_SETTINGS_MODULE=cruscotto.web.settings), translate, "
    "then msgfmt --check -o django.mo django.po")


def catalogue(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def messages(cat: Catalog) -> list[Message]:
    return [m for m in cat if m.id]


def test_every_string_has_an_english_translation() -> None:
    untranslated = [
        m.id for m in messages(catalogue(PO))
        if not (all(m.string) if m.pluralizable else m.string) or m.fuzzy
    ]
    assert untranslated == [], f"empty or fuzzy English translations; {HOW_TO_UPDATE}"


def test_the_catalogue_lists_exactly_the_strings_the_code_marks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    copy = tmp_path / "web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("static", "locale", "__pycache__"))
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = []
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], ignore_patterns=["static/*"],
                 no_obsolete=True, verbosity=0)

    marked = {m.id if isinstance(m.id, str) else tuple(m.id)
              for m in messages(catalogue(copy / "locale/en/LC_MESSAGES/django.po"))}
    listed = {m.id if isinstance(m.id, str) else tuple(m.id) for m in messages(catalogue(PO))}
    missing, unused = sorted(map(str, marked - listed)), sorted(map(str, listed - marked))
    assert missing == [], f"strings missing from django.po; {HOW_TO_UPDATE}"
    assert unused == [], f"strings no longer used; {HOW_TO_UPDATE}"


def test_the_compiled_catalogue_matches_the_translations() -> None:
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for m in messages(catalogue(PO)):
        if m.pluralizable:
            got = [compiled.ngettext(m.id[0], m.id[1], 1), compiled.ngettext(m.id[0], m.id[1], 2)]
            want = list(m.string)
        else:
            got, want = compiled.gettext(m.id), m.string
        if got != want:
            stale.append(m.id)
    assert stale == [], f"django.mo is older than django.po; {HOW_TO_UPDATE}"
