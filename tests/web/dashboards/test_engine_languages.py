"""The engine's reasons and derivations read in the reader's language, on pages and in the API.

An Italian reader finds no English reason ("not measured", "not computable"); an
English reader finds no Italian one.
"""

from __future__ import annotations

import json

from django.test import TestCase

from .conftest import Demo, make_demo

ENGLISH = ("not measured", "not computable", "missing", "Achievement", "Working:",
           "values not validated yet", "no target", "left out")
ITALIAN = ("non misurato", "non calcolabile", "manca", "Raggiungimento", "Calcolo:",
           "valori non ancora", "nessun target", "escluso", "Contributo")


def derivation(html: str) -> str:
    return html.split('id="derivation"', 1)[1].split("</pre>", 1)[0]


class EngineLanguages(TestCase):
    demo: Demo

    @classmethod
    def setUpTestData(cls) -> None:
        cls.demo = make_demo()

    def page(self, tail: str, lang: str) -> str:
        response = self.client.get(self.demo.url(tail), headers={"accept-language": lang})
        assert response.status_code == 200
        return response.content.decode()

    def test_a_derivation_reads_in_italian_or_in_english(self) -> None:
        it = derivation(self.page("indicators/6.5.4/", "it"))
        assert "Raggiungimento: 98,69%; stato giallo; target mancato" in it
        assert "obiettivo operativo 6.5" in it
        assert not [w for w in ENGLISH if w in it]
        en = derivation(self.page("indicators/6.5.4/", "en"))
        assert "Achievement: 98,69%; status yellow; target missed" in en
        assert "operational objective 6.5" in en
        assert not [w for w in ITALIAN if w in en]

    def test_a_hidden_value_says_why_in_the_reader_s_language(self) -> None:
        it = derivation(self.page("indicators/3.3.1/", "it"))
        assert "non calcolabile: valori non ancora validati" in it
        en = derivation(self.page("indicators/3.3.1/", "en"))
        assert "not computable: values not validated yet" in en
        assert not [w for w in ITALIAN if w in en]

    def test_the_api_gives_reasons_in_the_language_asked(self) -> None:
        url = f"/api/plans/{self.demo.key}/periods/2021-12-31/evaluation"
        reasons: dict[str, str] = {}
        for lang in ("it", "en"):
            response = self.client.get(url, headers={"accept-language": lang})
            assert response.status_code == 200, response.content
            body = json.loads(response.content)
            indicators = body.get("indicators", body)
            rows = indicators.values() if isinstance(indicators, dict) else indicators
            reasons[lang] = " | ".join(str(i.get("reason") or "") for i in rows)
        assert "non calcolabile: valori non ancora validati" in reasons["it"]
        assert not [w for w in ENGLISH if w in reasons["it"]]
        assert "not computable: values not validated yet" in reasons["en"]
        assert not [w for w in ITALIAN if w in reasons["en"]]
