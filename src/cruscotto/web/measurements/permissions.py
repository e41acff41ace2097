"""Moved to :mod:`cruscotto.web.accounts.permissions` (kept for code written before)."""

from cruscotto.web.accounts.permissions import actor_for  # noqa: F401
