"""The open data package: plain rows in, CSV + JSON files and a Frictionless
``datapackage.json`` out.

The web layer (``cruscotto.web.public.selectors.open_data``) decides *what*
may be published (published plans, certified values only) and hands over
plain rows; this module only knows the shape of each table (its Table Schema:
field types, primary and foreign keys) and how to write it. Everything is
checkable with ``frictionless validate DIR/datapackage.json``.

Each resource is written twice: ``NAME.csv`` (UTF-8, comma-separated, the
tabular resource the descriptor describes with its Table Schema) and
``NAME.json`` (the same rows as an array of objects with the same field
names, listed in the descriptor as ``NAME_json``). Dates are ISO
(``2021-12-31``), numbers are numbers (a dot as decimal separator, no
thousands separator, at most six decimals), a missing figure is empty.

For spreadsheets set to Italian, each table is also written as
``NAME_it.csv`` (resource ``NAME_it``): UTF-8 with a byte-order mark (so that
Excel reads the accents), ``;`` between cells, a comma before the decimals,
dates as ``31/12/2021`` and yes/no as ``sì``/``no``. The descriptor declares it
as a tabular resource of its own, with its dialect (``delimiter: ";"``) and
each field's ``decimalChar``, date ``format`` and ``trueValues``/``falseValues``,
so that the package stays valid and both variants read as the same values.
Text cells of both are inert (:mod:`cruscotto.io.cells`).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from cruscotto.core.numbers import rounded
from cruscotto.io.cells import inert

__all__ = ["ITALIAN", "RESOURCES", "OpenData", "Resource", "descriptor", "italian_name",
           "render", "write_package", "zip_package"]

#: how many decimals the data keeps (the engine's figures are exact decimals)
PLACES = 6
#: the Italian spreadsheet variant of the CSVs: its resource suffix and its dialect
ITALIAN = "_it"
IT_DELIMITER = ";"
IT_DECIMAL = ","
IT_DATE = "%d/%m/%Y"
IT_TRUE, IT_FALSE = "sì", "no"
LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: str
    description: str = ""
    required: bool = False
    enum: tuple[str, ...] = ()

    def as_dict(self, *, italian: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "title": self.title}
        if italian and self.type == "number":
            out["decimalChar"] = IT_DECIMAL
        elif italian and self.type == "date":
            out["format"] = IT_DATE
        elif italian and self.type == "boolean":
            out["trueValues"], out["falseValues"] = [IT_TRUE], [IT_FALSE]
        if self.description:
            out["description"] = self.description
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    #: (fields, resource, its fields)
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    def schema(self, *, italian: bool = False) -> dict[str, Any]:
        """The Table Schema of the CSV (``italian``: of its Italian variant, whose foreign
        keys point to the other Italian variants)."""
        suffix = ITALIAN if italian else ""
        out: dict[str, Any] = {
            "fields": [f.as_dict(italian=italian) for f in self.fields],
            "primaryKey": list(self.primary_key),
            "missingValues": [""],
        }
        if self.foreign_keys:
            out["foreignKeys"] = [
                {"fields": list(mine),
                 "reference": {"resource": res + suffix, "fields": list(theirs)}}
                for mine, res, theirs in self.foreign_keys]
        return out


def _f(name: str, type_: str, title: str, description: str = "", *, required: bool = False,
       enum: tuple[str, ...] = ()) -> Field:
    return Field(name, type_, title, description, required, enum)


PLAN = _f("piano", "string", "Piano", "Chiave del piano (es. cciaa-mimblo-2021-2023)",
          required=True)
STATUS = ("green", "yellow", "red", "not_available")
#: which reading of a target is in force (as the API's ``target_reading.source``)
READINGS = ("text", "set", "partly_read")
STATUS_TEXT = ("Semaforo: green (raggiunto), yellow (parzialmente raggiunto), red (non "
               "raggiunto), not_available (non valutabile)")

RESOURCES: tuple[Resource, ...] = (
    Resource(
        "piani", "Piani della performance", "I piani pubblicati, uno per riga.",
        (PLAN,
         _f("ente", "string", "Ente", required=True),
         _f("codice_ente", "string", "Codice dell'ente"),
         _f("titolo", "string", "Titolo del piano", required=True),
         _f("primo_anno", "integer", "Primo anno", required=True),
         _f("ultimo_anno", "integer", "Ultimo anno", required=True),
         _f("soglia_verde", "number", "Soglia verde (%)",
            "Raggiungimento minimo, in percentuale, per il semaforo verde"),
         _f("soglia_gialla", "number", "Soglia gialla (%)",
            "Raggiungimento minimo, in percentuale, per il semaforo giallo"),
         _f("pubblicato_il", "date", "Data di pubblicazione")),
        ("piano",)),
    Resource(
        "missioni", "Missioni", "Le missioni del bilancio a cui il piano si riferisce.",
        (PLAN, _f("codice", "string", "Codice della missione", required=True),
         _f("nome", "string", "Nome della missione", required=True)),
        ("piano", "codice"), ((("piano",), "piani", ("piano",)),)),
    Resource(
        "programmi", "Programmi", "I programmi di ogni missione, con il budget in euro.",
        (PLAN, _f("missione", "string", "Codice della missione", required=True),
         _f("codice", "string", "Codice del programma", required=True),
         _f("nome", "string", "Nome del programma", required=True),
         _f("budget_euro", "number", "Budget (euro)")),
        ("piano", "missione", "codice"),
        ((("piano", "missione"), "missioni", ("piano", "codice")),)),
    Resource(
        "valori_pubblici", "Valori pubblici",
        "Il valore pubblico (PIAO) a cui concorrono gli obiettivi strategici, con i domini "
        "BES e gli obiettivi di sviluppo sostenibile (SDG) a cui si riferisce; vuoto per i "
        "piani che non lo indicano.",
        (PLAN, _f("codice", "string", "Codice del valore pubblico", required=True),
         _f("titolo", "string", "Titolo", required=True),
         _f("descrizione", "string", "Descrizione"),
         _f("bes", "string", "Domini BES (codici BES1-BES12, separati da ;)"),
         _f("sdg", "string", "Obiettivi di sviluppo sostenibile (codici SDG1-SDG17, "
            "separati da ;)"),
         _f("obiettivi_strategici", "string",
            "Codici degli obiettivi strategici (separati da ;)")),
        ("piano", "codice"), ((("piano",), "piani", ("piano",)),)),
    Resource(
        "obiettivi_strategici", "Obiettivi strategici",
        "Gli obiettivi strategici del piano; le missioni sono separate da punto e virgola.",
        (PLAN, _f("codice", "string", "Codice dell'obiettivo strategico", required=True),
         _f("titolo", "string", "Titolo", required=True),
         _f("descrizione", "string", "Descrizione"),
         _f("missioni", "string", "Codici delle missioni (separati da ;)"),
         _f("valore_pubblico", "string", "Codice del valore pubblico",
            "Il valore pubblico (PIAO) a cui concorre: un codice di valori_pubblici dello "
            "stesso piano; vuoto se il piano non lo indica")),
        ("piano", "codice"), ((("piano",), "piani", ("piano",)),)),
    Resource(
        "obiettivi_operativi", "Obiettivi operativi",
        "Gli obiettivi operativi, ciascuno sotto un obiettivo strategico.",
        (PLAN, _f("codice", "string", "Codice dell'obiettivo operativo", required=True),
         _f("obiettivo_strategico", "string", "Codice dell'obiettivo strategico",
            required=True),
         _f("titolo", "string", "Titolo", required=True),
         _f("area", "string", "Area"),
         _f("missione", "string", "Codice della missione"),
         _f("programma", "string", "Codice del programma")),
        ("piano", "codice"),
        ((("piano", "obiettivo_strategico"), "obiettivi_strategici", ("piano", "codice")),)),
    Resource(
        "centri_responsabilita", "Centri di responsabilità",
        "Gli uffici responsabili degli indicatori.",
        (PLAN, _f("chiave", "string", "Chiave del centro", required=True),
         _f("nome", "string", "Nome del centro", required=True)),
        ("piano", "chiave"), ((("piano",), "piani", ("piano",)),)),
    Resource(
        "indicatori", "Indicatori",
        "Gli indicatori del piano con la regola di calcolo, l'unità di misura, la polarità "
        "e i centri di responsabilità (chiavi separate da punto e virgola).",
        (PLAN, _f("codice", "string", "Codice dell'indicatore", required=True),
         _f("nome", "string", "Nome", required=True),
         _f("descrizione", "string", "Descrizione"),
         _f("tipologia", "string", "Tipologia"),
         _f("unita_misura", "string", "Unità di misura"),
         _f("algoritmo_calcolo", "string", "Algoritmo di calcolo", "Come lo scrive il piano"),
         _f("formula", "string", "Formula",
            "La regola di calcolo nel linguaggio delle formule di Cruscotto"),
         _f("polarita", "string", "Polarità",
            "Quale direzione è meglio: higher (più alto), lower (più basso), band (vicino "
            "al target)", enum=("higher", "lower", "band")),
         _f("peso", "number", "Peso nell'aggregazione"),
         _f("obiettivo_strategico", "string", "Codice dell'obiettivo strategico",
            required=True),
         _f("obiettivo_operativo", "string", "Codice dell'obiettivo operativo"),
         _f("missione", "string", "Codice della missione"),
         _f("programma", "string", "Codice del programma"),
         _f("centri_responsabilita", "string",
            "Chiavi dei centri di responsabilità (separate da ;)"),
         _f("fonti_dati", "string", "Fonti dei dati (separate da ;)")),
        ("piano", "codice"),
        ((("piano", "obiettivo_strategico"), "obiettivi_strategici", ("piano", "codice")),)),
    Resource(
        "target", "Target per anno",
        "Il target di ogni indicatore per anno come scritto nel piano e, se rimodulato, "
        "il target rimodulato con la motivazione; quale lettura del target è in vigore "
        "(dal testo, una lettura strutturata impostata dal controllo di gestione, o un "
        "testo letto solo in parte e quindi non valutato).",
        (PLAN, _f("indicatore", "string", "Codice dell'indicatore", required=True),
         _f("anno", "integer", "Anno", required=True),
         _f("target_originale", "string", "Target originale", required=True),
         _f("target_rimodulato", "string", "Target rimodulato"),
         _f("motivazione_rimodulazione", "string", "Motivazione della rimodulazione"),
         _f("data_rimodulazione", "date", "Data della rimodulazione"),
         _f("lettura", "string", "Lettura del target in vigore",
            "Come è letto il target valutato: text (dal testo), set (una lettura "
            "strutturata impostata dal controllo di gestione accanto al testo), partly_read "
            "(il testo è letto solo in parte: il target non è valutato)", required=True,
            enum=READINGS),
         _f("lettura_impostata", "string", "Lettura impostata",
            "La lettura strutturata in vigore, in parole (operatore, valore, unità...); "
            "vuoto se il target è letto dal testo"),
         _f("lettura_impostata_il", "date", "Lettura impostata il",
            "Quando la lettura strutturata è stata impostata; vuoto se non è letta così o "
            "se lo storico del piano non lo dice (lettura scritta nel file del piano)")),
        ("piano", "indicatore", "anno"),
        ((("piano", "indicatore"), "indicatori", ("piano", "codice")),)),
    Resource(
        "formule_per_anno", "Formula in vigore per anno",
        "Per gli indicatori la cui definizione cambia durante il piano: la formula, "
        "l'algoritmo di calcolo, l'unità di misura e la polarità in vigore in ogni anno del "
        "piano, e l'anno da cui vale quella definizione.",
        (PLAN, _f("indicatore", "string", "Codice dell'indicatore", required=True),
         _f("anno", "integer", "Anno", required=True),
         _f("in_vigore_dal", "integer", "In vigore dal",
            "Primo anno della definizione (vuoto: la definizione iniziale dell'indicatore)"),
         _f("formula", "string", "Formula",
            "La regola di calcolo nel linguaggio delle formule di Cruscotto"),
         _f("algoritmo_calcolo", "string", "Algoritmo di calcolo", "Come lo scrive il piano"),
         _f("unita_misura", "string", "Unità di misura"),
         _f("polarita", "string", "Polarità",
            "Quale direzione è meglio: higher (più alto), lower (più basso), band (vicino "
            "al target)", enum=("higher", "lower", "band"))),
        ("piano", "indicatore", "anno"),
        ((("piano", "indicatore"), "indicatori", ("piano", "codice")),)),
    Resource(
        "risultati_indicatori", "Risultati certificati degli indicatori",
        "Il valore, il raggiungimento e lo stato di ogni indicatore per anno, solo per i "
        "valori certificati dall'OIV.",
        (PLAN, _f("indicatore", "string", "Codice dell'indicatore", required=True),
         _f("anno", "integer", "Anno", required=True),
         _f("data_rilevazione", "date", "Data di riferimento", "Fine del periodo misurato",
            required=True),
         _f("valore", "number", "Valore", "Il valore calcolato (vuoto per un sì/no)"),
         _f("valore_si_no", "boolean", "Realizzato (sì/no)",
            "Per gli indicatori di realizzazione"),
         _f("target", "string", "Target applicato (dopo eventuali rimodulazioni)"),
         _f("raggiungimento_percentuale", "number", "Raggiungimento (%)"),
         _f("target_raggiunto", "boolean", "Target raggiunto"),
         _f("stato", "string", "Stato", STATUS_TEXT, required=True, enum=STATUS),
         _f("esito", "string", "Esito del calcolo",
            "scored, no_target, not_measured, not_computable", required=True),
         _f("motivo", "string", "Perché manca il raggiungimento")),
        ("piano", "indicatore", "anno"),
        ((("piano", "indicatore"), "indicatori", ("piano", "codice")),)),
    Resource(
        "risultati_aggregati", "Risultati aggregati",
        "Il raggiungimento medio ponderato per ente, missione, obiettivo strategico, "
        "obiettivo operativo e centro di responsabilità, calcolato sui soli indicatori "
        "certificati.",
        (PLAN, _f("anno", "integer", "Anno", required=True),
         _f("livello", "string", "Livello", required=True,
            enum=("organisation", "mission", "strategic", "operational", "centre")),
         _f("codice", "string", "Codice", "Codice dell'elemento (nome per ente e centri)",
            required=True),
         _f("raggiungimento_percentuale", "number", "Raggiungimento (%)"),
         _f("stato", "string", "Stato", STATUS_TEXT, required=True, enum=STATUS),
         _f("indicatori_conteggiati", "integer", "Indicatori conteggiati", required=True)),
        ("piano", "anno", "livello", "codice"), ((("piano",), "piani", ("piano",)),)),
    Resource(
        "risultati_valori_pubblici", "Risultati certificati dei valori pubblici",
        "Il raggiungimento medio ponderato di ogni valore pubblico (PIAO) per anno: la media "
        "degli indicatori certificati dei suoi obiettivi strategici.",
        (PLAN, _f("valore_pubblico", "string", "Codice del valore pubblico", required=True),
         _f("anno", "integer", "Anno", required=True),
         _f("raggiungimento_percentuale", "number", "Raggiungimento (%)"),
         _f("stato", "string", "Stato", STATUS_TEXT, required=True, enum=STATUS),
         _f("indicatori_conteggiati", "integer", "Indicatori conteggiati", required=True)),
        ("piano", "valore_pubblico", "anno"),
        ((("piano", "valore_pubblico"), "valori_pubblici", ("piano", "codice")),)),
)


@dataclass
class OpenData:
    """What to publish: the publisher, the plans' keys, and the rows of each resource.

    ``tables`` maps a resource name of :data:`RESOURCES` to its rows (dicts
    keyed by field name; values str, int, Decimal, bool, date or None).
    """

    publisher: str
    plans: list[str]
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    created: datetime.datetime | None = None


def _number(value: Decimal) -> int | float | None:
    """A figure as a JSON number; ``None`` (empty) for one beyond the display range."""
    r = rounded(value, PLACES)
    if r is None:
        return None
    q = r.normalize()
    return int(q) if q == q.to_integral_value() else float(q)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(_number(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(inert(str(value)))


def _plain_decimal(value: Decimal) -> str | None:
    """A figure rounded to :data:`PLACES`, without exponent or trailing zeros."""
    r = rounded(value, PLACES)
    if r is None:
        return None
    text = format(r.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _it_csv_value(value: Any) -> str:
    """A cell of the Italian variant: ``1234,5``, ``31/12/2021``, ``sì``/``no``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return IT_TRUE if value else IT_FALSE
    if isinstance(value, Decimal):
        text = _plain_decimal(value)
        return "" if text is None else text.replace(".", IT_DECIMAL)
    if isinstance(value, datetime.date):
        return value.strftime(IT_DATE)
    if isinstance(value, int):
        return str(value)
    return str(inert(str(value)))


def italian_name(resource: str) -> str:
    """The file of a resource's Italian variant: ``risultati_indicatori_it.csv``."""
    return f"{resource}{ITALIAN}.csv"


def descriptor(data: OpenData) -> dict[str, Any]:
    """The ``datapackage.json`` of ``data``."""
    created = data.created or datetime.datetime.now(datetime.UTC)
    resources: list[dict[str, Any]] = []
    for r in RESOURCES:
        common = {"title": r.title, "description": r.description, "schema": r.schema(),
                  "licenses": [LICENCE]}
        resources.append({"name": r.name, "path": f"{r.name}.csv",
                          "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8",
                          **common})
    for r in RESOURCES:
        resources.append({
            "name": r.name + ITALIAN, "path": italian_name(r.name),
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "dialect": {"delimiter": IT_DELIMITER},
            "title": f"{r.title} (CSV per fogli di calcolo in italiano)",
            "description": f"Le stesse righe di {r.name}.csv per Excel e LibreOffice in "
                           "italiano: separatore «;», virgola decimale, date gg/mm/aaaa, "
                           "sì/no; UTF-8 con BOM.",
            "schema": r.schema(italian=True), "licenses": [LICENCE]})
    for r in RESOURCES:
        resources.append({"name": f"{r.name}_json", "path": f"{r.name}.json",
                          "format": "json", "mediatype": "application/json",
                          "encoding": "utf-8",
                          "title": f"{r.title} (JSON)",
                          "description": f"Le stesse righe di {r.name}.csv, come array di "
                                         "oggetti JSON con gli stessi campi.",
                          "licenses": [LICENCE]})
    return {
        "name": "cruscotto-performance",
        "title": "Amministrazione trasparente – Performance",
        "description": (
            f"Piani della performance pubblicati da {data.publisher} e risultati "
            "certificati dall'OIV: struttura del piano (missioni, programmi, obiettivi "
            "strategici e operativi, indicatori, centri di responsabilità), target per "
            "anno (originali e rimodulati, con la lettura in vigore), risultati per "
            "indicatore e aggregati. Sono pubblicati solo i valori certificati."),
        "licenses": [LICENCE],
        "publisher": data.publisher,
        "contributors": [{"title": data.publisher, "role": "publisher"}],
        "keywords": ["performance", "piano della performance", "amministrazione trasparente",
                     "indicatori"],
        "created": created.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "resources": resources,
    }


def _rows(data: OpenData, r: Resource) -> list[dict[str, Any]]:
    names = [f.name for f in r.fields]
    return [{n: row.get(n) for n in names} for row in data.tables.get(r.name, [])]


def render(data: OpenData) -> dict[str, bytes]:
    """File name -> contents of every file of the package."""
    out: dict[str, bytes] = {}
    for r in RESOURCES:
        rows = _rows(data, r)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow([f.name for f in r.fields])
        for row in rows:
            writer.writerow([_csv_value(v) for v in row.values()])
        out[f"{r.name}.csv"] = buf.getvalue().encode("utf-8")
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=IT_DELIMITER, lineterminator="\r\n")
        writer.writerow([f.name for f in r.fields])
        for row in rows:
            writer.writerow([_it_csv_value(v) for v in row.values()])
        out[italian_name(r.name)] = buf.getvalue().encode("utf-8-sig")
        out[f"{r.name}.json"] = (json.dumps(
            [{k: _json_value(v) for k, v in row.items()} for row in rows],
            ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    out["datapackage.json"] = (json.dumps(descriptor(data), ensure_ascii=False, indent=2)
                               + "\n").encode("utf-8")
    return out


def write_package(data: OpenData, directory: Path) -> list[Path]:
    """Write the package into ``directory`` (created if missing); return the files."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in render(data).items():
        path = directory / name
        path.write_bytes(content)
        written.append(path)
    return written


def zip_package(data: OpenData) -> bytes:
    """The package as one zip file (the files at its root)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in render(data).items():
            z.writestr(name, content)
    return buf.getvalue()

