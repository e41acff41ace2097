"""The settings gunicorn serves the page benchmark with: Cruscotto's own, plus one
minimal Django page (``/_bench/floor/``), the framework floor (docs/performance.md).

Only the benchmark uses this module; the application's settings and URLs are
unchanged.
"""

from __future__ import annotations

import copy
from pathlib import Path

from cruscotto.web.settings import *  # noqa: F403
from cruscotto.web.settings import TEMPLATES as _TEMPLATES

ROOT_URLCONF = "bench.floor_urls"
TEMPLATES = copy.deepcopy(_TEMPLATES)
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0].get("DIRS", []), Path(__file__).parent / "templates"]
