"""The language of what the command line prints: the web's catalogue, without Django.

The core's messages (:mod:`cruscotto.core.messages`) are Italian templates; the
English catalogue the web application compiles (``web/locale/en/.../django.mo``)
translates them. The command line reads that file with the standard
:mod:`gettext` module, so ``cruscotto lint --lang en`` needs no settings.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from pathlib import Path

from cruscotto.core.messages import set_translator

__all__ = ["LANGUAGES", "catalogue", "use_language"]

#: the languages the interface is written in (Italian first)
LANGUAGES = ("it", "en")
_LOCALE = Path(__file__).resolve().parent.parent / "web" / "locale"


def catalogue(lang: str) -> Callable[[str], str] | None:
    """``gettext`` for ``lang`` (``None`` for Italian, the language the templates are in)."""
    if lang == "it":
        return None
    return gettext.translation("django", localedir=_LOCALE, languages=[lang]).gettext


def use_language(lang: str) -> None:
    """Make every message printed from now on read in ``lang``."""
    set_translator(catalogue(lang))
