"""Shared fixtures: a small hand-built plan with every shape the real one has."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from hypothesis import settings as hypothesis_settings

from cruscotto.core.plan import (
    DataSource,
    Indicator,
    Mission,
    OperationalObjective,
    Organisation,
    Plan,
    Polarity,
    Programme,
    ResponsibilityCentre,
    SourceRef,
    StatusBands,
    StrategicObjective,
    Variable,
    VariableKind,
)

# Property tests check what is computed, never how fast: the machines running
# them are shared and noisy, so no per-example deadline (speed is measured in
# bench/, not asserted in tests).
hypothesis_settings.register_profile("cruscotto", deadline=None)
# `make fuzz`: the fuzz tests (tests/fuzz) with many more examples each
hypothesis_settings.register_profile("fuzz", deadline=None, max_examples=20_000)
hypothesis_settings.load_profile(os.environ.get("CRUSCOTTO_HYPOTHESIS_PROFILE") or "cruscotto")

SEED = "piano-prova.txt"


def make_small_plan() -> Plan:
    """Two missions; strategic objective 3 under both; an x.0.y indicator (6.0.1);
    the centre "Registro delle Imprese" shared by three indicators.
    """
    return Plan(
        organisation=Organisation(name="Camera di Commercio di Prova", code="CCIAA-PR"),
        title="Piano della Performance 2021-2023",
        years=[2021, 2022, 2023],
        source=SourceRef(SEED, 1),
        missions=[
            Mission("011", "Competitività e sviluppo delle imprese", source=SourceRef(SEED, 3),
                    programmes=[Programme(
                        "005", "Regolazione dei mercati", budget=Decimal("19350072"),
                        budget_text="19.350.072", source=SourceRef(SEED, 4))]),
            Mission("016", "Commercio internazionale ed internazionalizzazione del sistema "
                    "produttivo", source=SourceRef(SEED, 30),
                    programmes=[Programme(
                        "005", "Sostegno all'internazionalizzazione delle imprese",
                        budget=Decimal("1234567.50"), budget_text="1.234.567,50",
                        source=SourceRef(SEED, 31))]),
        ],
        strategic_objectives=[
            StrategicObjective(
                "3", "IMPRESE SOLIDE INNOVATIVE INTERNAZIONALI",
                narrative="Sostenere le imprese nella transizione digitale e sui mercati esteri.",
                mission_codes=["011", "016"], source=SourceRef(SEED, 5)),
            StrategicObjective(
                "6", "EFFICIENZA E QUALITÀ DEI SERVIZI", mission_codes=["011"],
                source=SourceRef(SEED, 40)),
        ],
        operational_objectives=[
            OperationalObjective(
                "3.1", "3", "INNOVAZIONE: digitalizzazione delle imprese", area="INNOVAZIONE",
                mission_code="011", programme_code="005", source=SourceRef(SEED, 6)),
            OperationalObjective(
                "3.2", "3", "INTERNAZIONALIZZAZIONE: nuovi mercati",
                area="INTERNAZIONALIZZAZIONE", mission_code="016", programme_code="005",
                source=SourceRef(SEED, 32)),
        ],
        indicators=[
            Indicator(
                "3.1.1", "Grado di utilizzo del budget per l'innovazione",
                description="Quota del budget stanziato effettivamente utilizzata",
                kind="efficacia", unit="percentuale", data_sources=["Contabilità"],
                formula_text="Valore contabilizzato anno t / Valore di budget anno t",
                targets={2021: ">=90%", 2022: ">=90%", 2023: ">=95%"},
                centres=["Servizi innovativi", "Registro delle Imprese"],
                strategic_code="3", operational_code="3.1", mission_code="011",
                programme_code="005", source=SourceRef(SEED, 7)),
            Indicator(
                "3.1.2", "Avvio della piattaforma per la qualità dei servizi digitali",
                kind="risultato", unit="realizzazione", formula_text="sì/no",
                targets={2021: "sì realizzazione"},
                centres=["Servizi innovativi"],
                strategic_code="3", operational_code="3.1", mission_code="011",
                programme_code="005", source=SourceRef(SEED, 9)),
            Indicator(
                "3.2.1", "Imprese assistite sui mercati esteri",
                description="Numero di imprese che hanno ricevuto assistenza specialistica",
                kind="efficacia", unit="numero",
                data_sources=["Registro imprese (InfoCamere)", "Contabilità"],
                formula_text="Sommatoria delle imprese assistite",
                targets={2021: "150", 2022: "+10%", 2023: "+10%"},
                centres=["Internazionalizzazione", "Registro delle Imprese"],
                strategic_code="3", operational_code="3.2", mission_code="016",
                programme_code="005", source=SourceRef(SEED, 33)),
            Indicator(
                "6.0.1", "Incidenza dei costi di struttura",
                description="Costi di struttura su proventi correnti",
                kind="efficienza", unit="percentuale", data_sources=["Contabilità"],
                formula_text="Costi di struttura anno t / Proventi correnti anno t",
                targets={2021: "36%", 2022: "36%", 2023: "35%"},
                centres=["Registro delle Imprese"],
                strategic_code="6", mission_code="011", source=SourceRef(SEED, 41)),
        ],
        centres=[
            ResponsibilityCentre("servizi-innovativi", "Servizi innovativi"),
            ResponsibilityCentre("registro-delle-imprese", "Registro delle Imprese"),
            ResponsibilityCentre("internazionalizzazione", "Internazionalizzazione"),
        ],
        data_sources=[
            DataSource("contabilita", "Contabilità"),
            DataSource("registro-imprese-infocamere", "Registro imprese (InfoCamere)"),
        ],
    )


@pytest.fixture
def small_plan() -> Plan:
    return make_small_plan()


def make_encoded_plan() -> Plan:
    """The small plan with the engine's reading: formulas, a measure, polarities
    (one inferred), weights other than 1, plan-wide variables and status bands.
    """
    plan = make_small_plan()
    plan.data_sources.append(DataSource("ufficio-estero", "Ufficio estero"))
    plan.variables = [
        Variable("contabilizzato_innovazione", "Valore contabilizzato (anno t)", "Contabilità",
                 VariableKind.NUMBER, "euro"),
        Variable("budget_innovazione", "Valore di budget (anno t)", "Contabilità",
                 VariableKind.NUMBER, "euro"),
        Variable("piattaforma_avviata", "Piattaforma avviata", kind=VariableKind.YES_NO),
        Variable("speso_piattaforma", "Spesa per la piattaforma", "Contabilità", unit="euro"),
        Variable("imprese_assistite", "N. imprese assistite (anno t)", "Ufficio estero",
                 unit="numero"),
        Variable("costi_struttura", "Costi di struttura", "Contabilità", unit="euro"),
        Variable("proventi_correnti", "Proventi correnti", "Contabilità", unit="euro"),
    ]
    plan.bands = StatusBands(green=Decimal("95"), yellow=Decimal("62.5"))
    i = plan.indicator("3.1.1")
    i.formula = "contabilizzato_innovazione / budget_innovazione"
    i.polarity, i.weight = Polarity.HIGHER_IS_BETTER, Decimal("2")
    i = plan.indicator("3.1.2")
    i.formula, i.measures = "piattaforma_avviata", {"spesa": "speso_piattaforma"}
    i.polarity, i.weight = Polarity.HIGHER_IS_BETTER, Decimal("0.5")
    i = plan.indicator("3.2.1")
    i.formula, i.polarity, i.weight = "imprese_assistite", Polarity.TARGET_BAND, Decimal("0")
    i = plan.indicator("6.0.1")
    i.formula = "costi_struttura / proventi_correnti"
    i.polarity, i.polarity_inferred = Polarity.LOWER_IS_BETTER, True
    i.weight = Decimal("1.125")
    return plan


@pytest.fixture
def encoded_plan() -> Plan:
    return make_encoded_plan()


@pytest.fixture(autouse=True)
def _interface_language_reset() -> object:
    """Each test starts in Italian, the interface's default language.

    Django's LocaleMiddleware activates the request's language in the thread
    and leaves it active after the response, so a test client request with
    ``Accept-Language: en`` would otherwise make the services called by the
    next test speak English.
    """
    yield
    try:
        from django.utils import translation
    except ImportError:  # the core tests run without Django too
        return
    translation.activate("it")


#: the tests' password hasher: MD5, fast and unsafe, for test passwords only. The
#: default (PBKDF2, 1,000,000 rounds) took about 0.19 s per person made, most of
#: the web tests' time. PBKDF2 stays second, so a hash made with it still checks.
TEST_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher() -> object:
    try:
        from django.test import override_settings
    except ImportError:  # the core tests run without Django too
        yield
        return
    # override_settings (not an assignment) so that Django's cached hasher list is reset
    with override_settings(PASSWORD_HASHERS=TEST_PASSWORD_HASHERS):
        yield

