"""An upload handler that stops storing a file as soon as it passes the size limit.

Django spools every uploaded file (to memory, then to a temporary file)
before a view sees it; a limit checked by the view comes too late to spare
the disk. This handler runs first (``FILE_UPLOAD_HANDLERS``): it counts the
bytes of each file as they are read and, once a file passes the limit,
raises ``SkipFile``. The parser then closes and deletes what the handlers
after it had written, reads the rest of that part without keeping it, and
the file is missing from ``request.FILES``; ``request.upload_too_large``
names it, for the view to say so (:func:`too_large`).

The limit is the larger of ``CRUSCOTTO_UPLOAD_MAX_BYTES`` (values files) and
``CRUSCOTTO_EVIDENCE_MAX_BYTES`` (evidence); on the page of the plan's official
documents (``reports:documents``) it is ``CRUSCOTTO_PLAN_DOCUMENT_MAX_BYTES`` when
larger, so that a large plan document does not lift the limit of every other
upload. Each service checks its own, smaller or equal, limit afterwards. A request
whose declared length is far over the limit is refused by the values upload page
before any reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

__all__ = ["SizeLimitUploadHandler", "TooLarge", "too_large", "upload_limit"]


@dataclass(frozen=True, slots=True)
class TooLarge:
    """A file the handler stopped: its name, and the limit it passed."""

    name: str
    limit: int


#: the view whose uploads are the plan's official documents (a larger limit of its own)
DOCUMENTS_VIEW = "reports:documents"


def upload_limit(request: HttpRequest | None = None) -> int:
    """The size past which the handler drops a file of ``request``."""
    limits = [int(settings.CRUSCOTTO_UPLOAD_MAX_BYTES),
              int(settings.CRUSCOTTO_EVIDENCE_MAX_BYTES)]
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == DOCUMENTS_VIEW:
        limits.append(int(settings.CRUSCOTTO_PLAN_DOCUMENT_MAX_BYTES))
    return max(limits)


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = upload_limit(request)
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                self.request.upload_too_large = TooLarge(  # type: ignore[attr-defined]
                    str(self.file_name or ""), self.limit)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) builds the file


def too_large(request: HttpRequest) -> TooLarge | None:
    """The file this request's upload handler stopped, if any."""
    return getattr(request, "upload_too_large", None)
