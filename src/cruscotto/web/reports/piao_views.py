"""The PIAO's performance section as a download from the plan's authoring page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from cruscotto.web.measurements.authoring_views import _db_plan, _require_author
from cruscotto.web.reports.piao import CONTENT_TYPE, LANGUAGES, file_name, piao_data, piao_docx


@require_GET
@login_required
def piao_download(request: HttpRequest, key: str) -> HttpResponse:
    """Section 2.2 Performance as .docx, in ``?lang=`` (default: the page's language);
    for whoever may author the plan, like the workbook."""
    db = _db_plan(key)
    _require_author(request, db)
    lang = request.GET.get("lang") or (translation.get_language() or "it")[:2]
    if lang not in LANGUAGES:
        lang = "it"
    data = piao_data(db.pk)
    response = HttpResponse(piao_docx(data, lang), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name(data, lang)}"'
    response["Cache-Control"] = "private, no-store"
    return response
