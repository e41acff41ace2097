"""The messages of the core and of the readers are in the English catalogue, and translated.

``makemessages`` reads only the web package, so ``cruscotto/web/engine_messages.py``
repeats the templates marked with ``gettext_noop`` in ``cruscotto.core`` and
``cruscotto.io``; this test keeps the two lists equal.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.utils import translation

import cruscotto
from cruscotto.core.messages import Message
from cruscotto.core.workflow import Action, State, WorkflowError, next_state
from cruscotto.io.values_csv import parse_value
from cruscotto.web.i18n import translate

ROOT = Path(cruscotto.__file__).resolve().parent
REPEATED = ROOT / "web" / "engine_messages.py"


def marked(paths: list[Path]) -> list[str]:
    out = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "gettext_noop" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                out.append(node.args[0].value)
    return out


def test_the_web_package_repeats_every_template_of_the_core_and_the_readers() -> None:
    sources = sorted([*(ROOT / "core").glob("*.py"), *(ROOT / "io").glob("*.py"),
                      ROOT / "cli.py"])
    wanted = sorted(set(marked(sources)))
    repeated = sorted(set(marked([REPEATED])))
    lines = "\n".join(f"gettext_noop({t!r})" for t in sorted(set(wanted) - set(repeated)))
    assert wanted == repeated, f"update {REPEATED.name}; missing:\n{lines}"


def test_a_workflow_refusal_reads_in_italian_and_in_english() -> None:
    try:
        next_state(State.CERTIFIED, Action.EDIT)
    except WorkflowError as exc:
        refusal = exc
    with translation.override("it"):
        assert translate(refusal) == (
            "ora non si può modificare i valori: i valori sono certificati e bloccati: una "
            "rettifica li riapre indicandone il motivo")
    with translation.override("en"):
        assert translate(refusal).startswith("cannot change the values now: ")
        assert "certified" in translate(refusal)


def test_a_values_file_problem_reads_in_english_on_request() -> None:
    try:
        parse_value("1.500")
    except ValueError as exc:
        problem = exc
    assert isinstance(problem.args[0], Message)
    assert str(problem) == "«1.500» è ambiguo: scrivi 1500 per le migliaia o 1,500 per i decimali"
    with translation.override("en"):
        assert translate(problem) == (
            "“1.500” is ambiguous: write 1500 for thousands or 1,500 for decimals")


def test_a_partly_read_target_reads_in_italian_and_in_english_in_the_lint() -> None:
    from cruscotto.core.lint import lint_plan
    from cruscotto.data import default_plan

    plan = default_plan()
    plan.indicator("3.1.1").targets[2022] = "Almeno 125 amministrazioni e almeno 2.800 soggetti"
    (finding,) = [f for f in lint_plan(plan) if f.kind == "target-partly-read"]
    assert finding.text is not None
    with translation.override("it"):
        assert translate(finding.text) == (
            "2022: il target «Almeno 125 amministrazioni e almeno 2.800 soggetti» è letto solo "
            "in parte: una seconda soglia: un target di più parti richiede una misura per "
            "ciascuna parte (colonna 30, «almeno»); non è valutato finché una persona non lo "
            "codifica")
    with translation.override("en"):
        assert translate(finding.text) == (
            "2022: the target “Almeno 125 amministrazioni e almeno 2.800 soggetti” is only "
            "partly read: a second threshold: a target of several parts needs a measure for "
            "each part (column 30, “almeno”); it is not scored until a person encodes it")


def test_an_engine_reason_is_stored_as_json_and_read_in_either_language() -> None:
    import json

    from cruscotto.core.evaluation import compile_plan, evaluate_plan
    from cruscotto.data import default_plan

    plan = default_plan()
    plan.indicator("3.2.2").formula = ""
    r = evaluate_plan(compile_plan(plan), {}, year=2021).indicators["3.2.2"]
    assert isinstance(r.reason, Message)
    stored = json.loads(json.dumps(r.reason.to_json()))
    assert stored == {"template": "non calcolabile: %(why)s", "params": {"why": {
        "template": "l'indicatore non ha ancora una formula", "params": {}}}}
    back = Message.from_json(stored)
    assert back == r.reason
    with translation.override("it"):
        assert translate(back) == str(back) == (
            "non calcolabile: l'indicatore non ha ancora una formula")
    with translation.override("en"):
        assert str(back) == "not computable: the indicator has no formula yet"


def test_a_missing_input_is_named_by_its_label_in_both_languages() -> None:
    from cruscotto.core.evaluation import compile_plan, evaluate_plan
    from cruscotto.data import default_plan

    r = evaluate_plan(compile_plan(default_plan()), {}, year=2021).indicators["1.2.1"]
    with translation.override("it"):
        assert str(r.reason) == ("non misurato: manca N. imprese che utilizzano il portale "
                                 "SUAP impresainungiorno (anno t) (2021)")
    with translation.override("en"):
        assert str(r.reason).startswith("not measured: missing N. imprese che utilizzano")
