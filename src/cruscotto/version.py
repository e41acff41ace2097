"""The installed Cruscotto's version, for ``cruscotto --version`` and backup manifests.

A module of its own (it imports nothing of Cruscotto) so that a lower layer
such as ``web.backup`` can name the version without importing the command line.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def app_version() -> str:
    """The version of the installed ``cruscotto`` distribution, or "unknown"."""
    try:
        return version("cruscotto")
    except PackageNotFoundError:
        return "unknown"
