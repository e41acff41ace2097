"""The OpenAPI document loads, lists every path, and documents each refusal."""

from __future__ import annotations

from django.test import Client

PATHS = {
    "/api/plans": {"get"},
    "/api/plans/{key}": {"get"},
    "/api/plans/{key}/periods": {"get"},
    "/api/plans/{key}/periods/{date}/values": {"get", "put"},
    "/api/plans/{key}/periods/{date}/indicators/{code}/submit": {"post"},
    "/api/plans/{key}/periods/{date}/indicators/{code}/validate": {"post"},
    "/api/plans/{key}/periods/{date}/indicators/{code}/return": {"post"},
    "/api/plans/{key}/periods/{date}/indicators/{code}/certify": {"post"},
    "/api/plans/{key}/periods/{date}/indicators/{code}/reopen": {"post"},
    "/api/plans/{key}/periods/{date}/evaluation": {"get"},
    "/api/plans/{key}/periods/{date}/indicators/{code}/evaluation": {"get"},
    "/api/plans/{key}/indicators/{code}/history": {"get"},
    "/api/plans/{key}/indicators/{code}/targets/{year}/revisions": {"post"},
    "/api/plans/{key}/indicators/{code}/targets": {"get"},
    "/api/plans/{key}/periods/{date}/indicators/{code}/evidence": {"get", "post"},
    "/api/plans/{key}/periods/{date}/indicators/{code}/evidence/{pk}": {"get"},
    "/api/plans/{key}/documents": {"get"},
    "/api/plans/{key}/documents/{pk}/file": {"get"},
}
#: reads for signed-in callers only (documents, as on the values page)
SIGNED_IN_READS = {"/api/plans/{key}/periods/{date}/indicators/{code}/evidence",
                   "/api/plans/{key}/periods/{date}/indicators/{code}/evidence/{pk}"}


def test_it_lists_every_path(db: None) -> None:
    r = Client().get("/api/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["openapi"].startswith("3.")
    assert {p: set(ops) for p, ops in doc["paths"].items()} == PATHS


def test_every_write_documents_its_refusals_and_needs_a_signed_in_caller(db: None) -> None:
    doc = Client().get("/api/openapi.json").json()
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            if method == "get" and path in SIGNED_IN_READS:
                assert {"200", "401", "403", "404"} <= codes, path
                assert {} not in op["security"], path
            elif method == "get":
                assert {"200", "401"} <= codes, path
                assert {} in op["security"], f"{path}: anonymous callers may read"
            else:
                assert {"400", "401", "403", "404", "409"} <= codes, path
                assert {} not in op["security"], path
                assert op["responses"]["409"]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ConflictOut"}
    schemes = doc["components"]["securitySchemes"]
    assert schemes["BasicAuth"] == {"type": "http", "scheme": "basic"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_the_docs_page_is_served_without_a_cdn(db: None) -> None:
    r = Client().get("/api/docs")
    assert r.status_code == 200
    assert b"/static/ninja/swagger-ui-bundle" in r.content


def test_an_indicator_and_its_targets_document_the_reading_in_force(db: None) -> None:
    schemas = Client().get("/api/openapi.json").json()["components"]["schemas"]
    reading = schemas["TargetReadingOut"]
    assert reading["properties"]["source"]["enum"] == ["text", "set", "partly_read"]
    assert {"set_at", "set_by"} <= set(reading["properties"])
    for owner in ("IndicatorEvaluationOut", "TargetYearOut"):
        assert "target_reading" in schemas[owner]["properties"], owner
