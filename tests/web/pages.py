"""What a user sees on a page: its text and its links, without the markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from django.http import HttpResponse

_SKIP = {"script", "style", "noscript"}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._skip = 0
        self._href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._link_text = []
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip -= 1
        elif tag == "a" and self._href is not None:
            self.links.append((_squash("".join(self._link_text)), self._href))
            self._href = None
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)
            if self._href is not None:
                self._link_text.append(data)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def _read(response: HttpResponse) -> _Reader:
    reader = _Reader()
    reader.feed(response.content.decode())
    return reader


def text(response: HttpResponse) -> str:
    """The page's visible text, spaces squashed (a non-breaking space reads as a space)."""
    return _squash("".join(_read(response).parts))


def links(response: HttpResponse) -> dict[str, str]:
    """Link text → address, for every link on the page."""
    return dict(_read(response).links)


def store_published(plan: Any) -> Any:
    """Store ``plan`` and publish it: the test client, signed in as nobody, is the
    public, who read published plans only."""
    from cruscotto.web.plans.services import set_published, write_plan

    return set_published(plan=write_plan(plan=plan), published=True)
