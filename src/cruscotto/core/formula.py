"""The formula language of calculation rules (*algoritmo di calcolo*).

A formula is parsed once into a small tree, then evaluated any number of
times against a mapping ``(variable, year) -> value``. User text is never
handed to ``eval``/``exec``/``compile``: this module reads it character by
character (a tokenizer plus a Pratt parser, see docs/engine.md for the
grammar and the reasons).

Example::

    >>> f = parse("(accessi - accessi[t-1]) / accessi[t-1]")
    >>> dict(f.variables)
    {'accessi': frozenset({0, 1})}
    >>> f.evaluate({("accessi", 2021): Decimal(120), ("accessi", 2020): Decimal(100)}, 2021)
    Decimal('0.2')

Evaluation never raises for bad data: a missing input gives
:class:`~cruscotto.core.values.NotMeasured` naming it, a division by zero
gives :class:`~cruscotto.core.values.NotComputable`.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import TypeAlias, cast

from cruscotto.core.messages import Message, gettext_noop, msg
from cruscotto.core.numbers import DIGITS, PLACES, VALUE_LIMIT, domain_problem
from cruscotto.core.values import (
    Input,
    Inputs,
    NotComputable,
    NotMeasured,
    Value,
    Variable,
    VariableKind,
    VarKey,
    format_value,
    lookup,
    merge_problems,
    to_data,
)

__all__ = [
    "FUNCTIONS",
    "KEYWORDS",
    "Evaluation",
    "Formula",
    "FormulaError",
    "FunctionInfo",
    "Reference",
    "parse",
]

#: the decimal arithmetic every evaluation uses (28 significant digits)
DECIMAL_CONTEXT = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

#: nesting of parentheses, unary operators and calls the parser accepts
MAX_NESTING = 64
#: depth of the formula tree (``a + b + c + ...`` grows it by one per term)
MAX_DEPTH = 200
#: the furthest year back a reference may look (``x[t-10]``)
MAX_OFFSET = 10


class FormulaError(ValueError):
    """A formula that cannot be read, with where and what was expected.

    ``column`` is 1-based, ``token`` the text found there (empty at the end
    of the formula), ``expected`` what the grammar allowed instead.
    """

    def __init__(
        self, message: str, *, text: str, column: int, token: str, expected: str = ""
    ) -> None:
        self.message = message
        self.text = text
        self.column = column
        self.token = token
        self.expected = expected
        super().__init__(self.describe())

    def describe(self) -> str:
        found = repr(self.token) if self.token else "the end of the formula"
        detail = f"expected {self.expected}, found {found}" if self.expected else ""
        if detail and detail not in self.message:
            return f"column {self.column}: {self.message} ({detail})"
        return f"column {self.column}: {self.message}"

    @property
    def reason(self) -> Message:
        """For people: the formula and where it stops being readable."""
        if self.token:
            return msg(gettext_noop("la formula «%(formula)s» non si legge alla colonna "
                                    "%(column)s («%(token)s»)"),
                       formula=self.text, column=self.column, token=self.token)
        return msg(gettext_noop("la formula «%(formula)s» finisce prima del previsto"),
                   formula=self.text)

    def pointer(self) -> str:
        """The formula with a caret under the offending column."""
        return f"{self.text}\n{' ' * (self.column - 1)}^"

    def as_dict(self) -> dict[str, object]:
        return {
            "message": self.message,
            "column": self.column,
            "token": self.token,
            "expected": self.expected,
        }


# -- functions --------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class FunctionInfo:
    name: str
    #: how it is written
    signature: str
    min_args: int
    #: ``None``: any number
    max_args: int | None
    description: str


#: the functions a formula can call (docs/engine.md is checked against this)
FUNCTIONS: dict[str, FunctionInfo] = {
    f.name: f
    for f in (
        FunctionInfo("min", "min(a, b, ...)", 1, None, "the smallest of its arguments"),
        FunctionInfo("max", "max(a, b, ...)", 1, None, "the largest of its arguments"),
        FunctionInfo("abs", "abs(a)", 1, 1, "the absolute value"),
        FunctionInfo(
            "if", "if(condition, a, b)", 3, 3,
            "a when the yes/no condition holds, else b; only the branch taken is "
            "evaluated, so if(budget == 0, 0, spesa / budget) is never a division by zero",
        ),
    )
}

_TRUE_WORDS = frozenset({"true", "si", "sì"})
_FALSE_WORDS = frozenset({"false", "no"})
_WORD_OPS = frozenset({"and", "or", "not"})
#: words that cannot name a variable (matched case-insensitively)
KEYWORDS = frozenset(_TRUE_WORDS | _FALSE_WORDS | _WORD_OPS | set(FUNCTIONS))


# -- tokens -----------------------------------------------------------------

class _T(enum.Enum):
    NUMBER = "number"
    NAME = "name"
    OP = "operator"
    LPAREN = "("
    RPAREN = ")"
    LBRACK = "["
    RBRACK = "]"
    COMMA = ","
    END = "end"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _T
    text: str
    #: 0-based index into the (normalised) formula text
    pos: int


_DIGITS = "0123456789"
_OPERATORS = {
    "<=": "<=", ">=": ">=", "==": "==", "!=": "!=",
    "≤": "<=", "≥": ">=", "≠": "!=", "<>": "!=",
    "<": "<", ">": ">", "+": "+", "-": "-", "*": "*", "/": "/",
    "×": "*", "÷": "/", "−": "-",
}


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c in _DIGITS:
            j = i
            while j < n and text[j] in _DIGITS:
                j += 1
            if j < n and text[j] == ".":
                k = j + 1
                while k < n and text[k] in _DIGITS:
                    k += 1
                if k == j + 1:
                    raise _error(text, j + 1, "a number cannot end with '.'", "a digit")
                j = k
            if j < n and (text[j].isalpha() or text[j] == "_"):
                raise _error(
                    text, j, "a name cannot start with a digit",
                    "an operator, ')' or the end of the formula",
                )
            tokens.append(_Token(_T.NUMBER, text[i:j], i))
            i = j
            continue
        if c.isalpha() or c == "_":
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            tokens.append(_Token(_T.NAME, text[i:j], i))
            i = j
            continue
        two = text[i:i + 2]
        if two in _OPERATORS and len(two) == 2:
            tokens.append(_Token(_T.OP, _OPERATORS[two], i))
            i += 2
            continue
        if c in _OPERATORS:
            tokens.append(_Token(_T.OP, _OPERATORS[c], i))
            i += 1
            continue
        simple = {"(": _T.LPAREN, ")": _T.RPAREN, "[": _T.LBRACK, "]": _T.RBRACK, ",": _T.COMMA}
        if c in simple:
            tokens.append(_Token(simple[c], c, i))
            i += 1
            continue
        if c == "=":
            raise _error(text, i, "a single '=' is not a comparison", "'==' to compare")
        if c == "!":
            raise _error(text, i, "'!' must be followed by '='", "'!=' or 'not'")
        if c == "%":
            raise _error(
                text, i,
                "formulas work on plain numbers and fractions: write 0.05, not 5%",
                "an operator, ')' or the end of the formula",
            )
        if c == ".":
            raise _error(text, i, "a number must start with a digit (write 0.5)", "a digit")
        raise _error(text, i, f"unexpected character {c!r}", "a number, a name or an operator")
    tokens.append(_Token(_T.END, "", n))
    return tokens


def _error(text: str, pos: int, message: str, expected: str) -> FormulaError:
    token = text[pos] if pos < len(text) else ""
    return FormulaError(message, text=text, column=pos + 1, token=token, expected=expected)


# -- the tree ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Num:
    value: Decimal
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Bool:
    value: bool
    pos: int = field(default=0, compare=False)
    text: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Ref:
    name: str
    offset: int = 0
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "-", "+" or "not"
    operand: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # + - * / < <= > >= == != and or
    left: Node
    right: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Node, ...]
    pos: int = field(default=0, compare=False)


Node: TypeAlias = Num | Bool | Ref | Unary | Binary | Call

_COMPARISONS = frozenset({"<", "<=", ">", ">=", "==", "!="})
#: left binding power of each binary operator
_BP = {"or": 10, "and": 20, "<": 40, "<=": 40, ">": 40, ">=": 40, "==": 40, "!=": 40,
       "+": 50, "-": 50, "*": 60, "/": 60}
_NOT_BP = 30
_NEG_BP = 70
_ATOM_BP = 100


def _prec(node: Node) -> int:
    if isinstance(node, Binary):
        return _BP[node.op]
    if isinstance(node, Unary):
        return _NOT_BP if node.op == "not" else _NEG_BP
    return _ATOM_BP


# -- the parser (Pratt) ------------------------------------------------------

_EXPECT_OPERAND = "a number, a name, 'true'/'false', a function call, '-', 'not' or '('"
_EXPECT_AFTER = "an operator, ')' or the end of the formula"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.nesting = 0
        #: depth of each node built so far, by id (nodes live as long as the parser)
        self.depths: dict[int, int] = {}

    # helpers
    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def kind(self) -> _T:
        # a method, not an attribute, so that type checkers do not narrow it
        # across ``advance()``
        return self.tokens[self.i].kind

    def advance(self) -> _Token:
        t = self.tokens[self.i]
        if t.kind is not _T.END:
            self.i += 1
        return t

    def fail(self, tok: _Token, message: str, expected: str) -> FormulaError:
        return FormulaError(
            message, text=self.text, column=tok.pos + 1, token=tok.text, expected=expected
        )

    def expect(self, kind: _T, expected: str) -> _Token:
        if self.kind() is not kind:
            found = self.tok.text or "the end of the formula"
            raise self.fail(self.tok, f"expected {expected}, found {found!r}"
                            if self.tok.text else f"expected {expected}", expected)
        return self.advance()

    def nest(self, tok: _Token) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise self.fail(tok, "the formula is nested too deeply",
                            f"at most {MAX_NESTING} levels of parentheses")

    # grammar
    def parse(self) -> Node:
        if self.kind() is _T.END:
            raise self.fail(self.tok, "the formula is empty", "an expression")
        node = self.expr(0)
        if self.kind() is not _T.END:
            t = self.tok
            if t.kind is _T.OP and t.text in _COMPARISONS:
                raise self.fail(t, "comparisons cannot be chained; join them with 'and'",
                                "'and', 'or' or the end of the formula")
            if t.kind is _T.RPAREN:
                raise self.fail(t, "')' without a matching '('", _EXPECT_AFTER)
            if t.kind is _T.COMMA and self.tokens[self.i - 1].kind is _T.NUMBER:
                raise self.fail(t, "decimals are written with '.' (1.5, not 1,5)",
                                _EXPECT_AFTER)
            raise self.fail(t, f"unexpected {t.text!r}", _EXPECT_AFTER)
        return node

    def binary_op(self) -> str | None:
        t = self.tok
        if t.kind is _T.OP and t.text in _BP:
            return t.text
        if t.kind is _T.NAME and t.text.casefold() in ("and", "or"):
            return t.text.casefold()
        return None

    def expr(self, min_bp: int) -> Node:
        left = self.prefix(min_bp)
        chained_comparison = False
        while True:
            op = self.binary_op()
            if op is None or _BP[op] <= min_bp:
                break
            t = self.advance()
            if op in _COMPARISONS:
                if chained_comparison:
                    raise self.fail(t, "comparisons cannot be chained; join them with 'and'",
                                    "'and', 'or', ')' or the end of the formula")
                chained_comparison = True
            else:
                chained_comparison = False
            right = self.expr(_BP[op])
            left = Binary(op, left, right, t.pos)
            self.check_depth(left, t)
        return left

    def check_depth(self, node: Node, tok: _Token) -> None:
        """Record ``node``'s depth (its children are already recorded) and bound it."""
        if isinstance(node, Binary):
            children: tuple[Node, ...] = (node.left, node.right)
        elif isinstance(node, Call):
            children = node.args
        elif isinstance(node, Unary):
            children = (node.operand,)
        else:
            children = ()
        depth = 1 + max((self.depths.get(id(c), 1) for c in children), default=0)
        self.depths[id(node)] = depth
        if depth > MAX_DEPTH:
            raise self.fail(tok, "the formula is too long to evaluate safely",
                            f"at most {MAX_DEPTH} operators in a chain")

    def prefix(self, min_bp: int) -> Node:
        t = self.tok
        if t.kind is _T.NUMBER:
            number = Decimal(t.text)
            if domain_problem(number) is not None:
                shown = t.text if len(t.text) <= 40 else t.text[:37] + "..."
                raise FormulaError(
                    f"the number is outside the values' domain ({DIGITS} digits, {PLACES} "
                    "of them decimals)", text=self.text[:200], column=t.pos + 1, token=shown,
                    expected=f"a number below {VALUE_LIMIT:,.0f} with at most {PLACES} "
                             "decimals")
            self.advance()
            return Num(number, t.pos)
        if t.kind is _T.OP and t.text in ("-", "+"):
            self.advance()
            self.nest(t)
            operand = self.expr(_NEG_BP)
            self.nesting -= 1
            node: Node = Unary(t.text, operand, t.pos)
            self.check_depth(node, t)
            return node
        if t.kind is _T.LPAREN:
            self.advance()
            self.nest(t)
            if self.kind() is _T.RPAREN:
                raise self.fail(self.tok, "empty parentheses", _EXPECT_OPERAND)
            inner = self.expr(0)
            if self.kind() is not _T.RPAREN:
                if self.kind() is _T.END:
                    raise self.fail(self.tok, f"'(' at column {t.pos + 1} is never closed",
                                    "')'")
                raise self.fail(self.tok, f"unexpected {self.tok.text!r}", "an operator or ')'")
            self.advance()
            self.nesting -= 1
            return inner
        if t.kind is _T.NAME:
            word = t.text.casefold()
            if word == "not":
                if min_bp > _NOT_BP:
                    raise self.fail(t, "put 'not ...' in parentheses here",
                                    "'(' before 'not'")
                self.advance()
                self.nest(t)
                operand = self.expr(_NOT_BP)
                self.nesting -= 1
                node = Unary("not", operand, t.pos)
                self.check_depth(node, t)
                return node
            if word in _TRUE_WORDS or word in _FALSE_WORDS:
                self.advance()
                return Bool(word in _TRUE_WORDS, t.pos, t.text)
            if word in ("and", "or"):
                raise self.fail(t, f"'{t.text}' needs a value before it", _EXPECT_OPERAND)
            if word in FUNCTIONS:
                return self.call(t, word)
            self.advance()
            if self.kind() is _T.LPAREN:
                known = ", ".join(sorted(FUNCTIONS))
                raise self.fail(t, f"unknown function {t.text!r}", f"one of {known}")
            offset = self.period() if self.kind() is _T.LBRACK else 0
            return Ref(t.text, offset, t.pos)
        if t.kind is _T.END:
            raise self.fail(t, "the formula ends too early", _EXPECT_OPERAND)
        if t.kind is _T.RPAREN:
            raise self.fail(t, "')' where a value was expected", _EXPECT_OPERAND)
        raise self.fail(t, f"unexpected {t.text!r}", _EXPECT_OPERAND)

    def call(self, name_tok: _Token, name: str) -> Node:
        info = FUNCTIONS[name]
        self.advance()
        if self.kind() is not _T.LPAREN:
            raise self.fail(self.tok, f"{name!r} is a function, not a variable",
                            f"'(' after {name!r}")
        lp = self.advance()
        self.nest(lp)
        args: list[Node] = []
        if self.kind() is not _T.RPAREN:
            args.append(self.expr(0))
            while self.kind() is _T.COMMA:
                self.advance()
                args.append(self.expr(0))
        if self.kind() is not _T.RPAREN:
            if self.kind() is _T.END:
                raise self.fail(self.tok, f"'(' at column {lp.pos + 1} is never closed",
                                "',' or ')'")
            raise self.fail(self.tok, f"unexpected {self.tok.text!r} in the arguments of "
                            f"{name}", "',' or ')'")
        rp = self.advance()
        self.nesting -= 1
        if len(args) < info.min_args or (info.max_args is not None and len(args) > info.max_args):
            if info.max_args is None:
                want = f"at least {info.min_args} argument(s)"
            elif info.min_args == info.max_args:
                want = f"{info.min_args} argument(s)"
            else:
                want = f"{info.min_args} to {info.max_args} arguments"
            raise self.fail(rp,
                            f"{info.signature} takes {want}, found {len(args)}", want)
        node = Call(name, tuple(args), name_tok.pos)
        self.check_depth(node, name_tok)
        return node

    def period(self) -> int:
        """``[t]`` or ``[t-k]``: how many years back a reference looks."""
        self.advance()  # [
        t = self.tok
        if t.kind is not _T.NAME or t.text != "t":
            raise self.fail(t, "a year reference is written [t] or [t-1]", "'t'")
        self.advance()
        offset = 0
        if self.kind() is _T.OP and self.tok.text == "-":
            self.advance()
            k = self.tok
            if k.kind is not _T.NUMBER or not k.text.isdigit():
                raise self.fail(k, "expected a whole number of years after 't-'",
                                "a whole number such as 1")
            self.advance()
            offset = int(k.text)
            if offset > MAX_OFFSET:
                raise self.fail(k, f"a formula can look back at most {MAX_OFFSET} years",
                                f"a number from 0 to {MAX_OFFSET}")
        elif self.kind() is _T.OP and self.tok.text == "+":
            raise self.fail(self.tok, "a formula cannot read a future year", "'-' or ']'")
        self.expect(_T.RBRACK, "']'" if offset else "'-' or ']'")
        return offset


# -- static types ------------------------------------------------------------

class _Ty(enum.Enum):
    NUM = "a number"
    BOOL = "yes/no"
    ANY = "any"


class _Checker:
    """Infer a type for every variable; reject mixing numbers with yes/no."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.vars: dict[str, tuple[_Ty, int]] = {}

    def fail(self, node: Node, message: str, expected: str) -> FormulaError:
        pos = node.pos
        token = _node_token(self.text, node)
        return FormulaError(message, text=self.text, column=pos + 1, token=token,
                            expected=expected)

    def mismatch(self, node: Node, want: _Ty, got: _Ty) -> FormulaError:
        if isinstance(node, Num | Bool | Ref):
            what = "a number" if got is _Ty.NUM else "a yes/no value"
            message = f"this is {what}, but {want.value} is needed here"
        elif isinstance(node, Call):
            message = f"{node.name}() gives {got.value}, but {want.value} is needed here"
        else:
            message = f"'{node.op}' gives {got.value}, but {want.value} is needed here"
        return self.fail(node, message, want.value)

    def check(self, node: Node, want: _Ty) -> _Ty:
        got = self._infer(node, want)
        if want is not _Ty.ANY and got is not _Ty.ANY and got is not want:
            raise self.mismatch(node, want, got)
        return got

    def _infer(self, node: Node, want: _Ty) -> _Ty:
        if isinstance(node, Num):
            return _Ty.NUM
        if isinstance(node, Bool):
            return _Ty.BOOL
        if isinstance(node, Ref):
            known = self.vars.get(node.name)
            if want is _Ty.ANY:
                return known[0] if known else _Ty.ANY
            if known and known[0] is not want:
                raise self.fail(
                    node,
                    f"{node.name!r} is used as {known[0].value} at column {known[1] + 1} "
                    f"and as {want.value} here",
                    known[0].value,
                )
            if not known:
                self.vars[node.name] = (want, node.pos)
            return want
        if isinstance(node, Unary):
            if node.op == "not":
                self.check(node.operand, _Ty.BOOL)
                return _Ty.BOOL
            self.check(node.operand, _Ty.NUM)
            return _Ty.NUM
        if isinstance(node, Binary):
            if node.op in ("and", "or"):
                self.check(node.left, _Ty.BOOL)
                self.check(node.right, _Ty.BOOL)
                return _Ty.BOOL
            if node.op in ("==", "!="):
                lt = self.check(node.left, _Ty.ANY)
                rt = self.check(node.right, lt)
                if lt is _Ty.ANY and rt is not _Ty.ANY:
                    self.check(node.left, rt)
                return _Ty.BOOL
            self.check(node.left, _Ty.NUM)
            self.check(node.right, _Ty.NUM)
            return _Ty.BOOL if node.op in _COMPARISONS else _Ty.NUM
        # Call
        if node.name == "if":
            cond, a, b = node.args
            self.check(cond, _Ty.BOOL)
            ta = self.check(a, want)
            tb = self.check(b, ta)
            if ta is _Ty.ANY and tb is not _Ty.ANY:
                self.check(a, tb)
                return tb
            return ta
        for arg in node.args:
            self.check(arg, _Ty.NUM)
        return _Ty.NUM


def _node_token(text: str, node: Node) -> str:
    if isinstance(node, Ref):
        return node.name
    if isinstance(node, Bool):
        return node.text or ("true" if node.value else "false")
    if isinstance(node, Num):
        return _decimal_text(node.value)
    if isinstance(node, Call):
        return node.name
    return node.op


# -- evaluation --------------------------------------------------------------

class _Evaluator:
    def __init__(self, inputs: Inputs, year: int) -> None:
        self.inputs = inputs
        self.year = year
        self.used: dict[VarKey, tuple[int, Value]] = {}

    def ev(self, node: Node) -> Value:
        if isinstance(node, Num):
            return node.value
        if isinstance(node, Bool):
            return node.value
        if isinstance(node, Ref):
            y = self.year - node.offset
            v = lookup(self.inputs, node.name, y)
            self.used[(node.name, y)] = (node.offset, v)
            return v
        if isinstance(node, Unary):
            v = self.ev(node.operand)
            if isinstance(v, NotMeasured | NotComputable):
                return v
            if node.op == "not":
                if not isinstance(v, bool):
                    return NotComputable(msg(gettext_noop(
                        "«not» vuole un valore sì/no, non %(got)s"),
                                             got=format_value(v)))
                return not v
            if isinstance(v, bool):
                return NotComputable(msg(gettext_noop(
                    "«%(op)s» vuole un numero, non un valore sì/no"),
                                         op=node.op))
            return -v if node.op == "-" else +v
        if isinstance(node, Binary):
            return self.binary(node)
        return self.call(node)

    def binary(self, node: Binary) -> Value:
        # both sides are always evaluated (formulas have no side effects), so
        # every missing input is reported at once
        a = self.ev(node.left)
        b = self.ev(node.right)
        op = node.op
        if op in ("and", "or"):
            # Kleene logic: "false and <missing>" is false, whatever is missing
            decisive = op == "or"
            if a is decisive or b is decisive:
                return decisive
            problem = merge_problems((a, b))
            if problem is not None:
                return problem
            if not isinstance(a, bool) or not isinstance(b, bool):
                return NotComputable(msg(gettext_noop("«%(op)s» vuole valori sì/no"), op=op))
            return a and b if op == "and" else a or b
        problem = merge_problems((a, b))
        if problem is not None:
            return problem
        if op in ("==", "!="):
            if isinstance(a, bool) != isinstance(b, bool):
                return NotComputable(msg(gettext_noop(
                    "non si confronta un valore sì/no con un numero (%(op)s)"), op=op))
            return (a == b) if op == "==" else (a != b)
        if isinstance(a, bool) or isinstance(b, bool):
            return NotComputable(msg(gettext_noop("«%(op)s» vuole numeri, non un valore sì/no"),
                                     op=op))
        assert isinstance(a, Decimal) and isinstance(b, Decimal)
        if op == "<":
            return a < b
        if op == "<=":
            return a <= b
        if op == ">":
            return a > b
        if op == ">=":
            return a >= b
        try:
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            if b == 0:
                return NotComputable(msg(gettext_noop(
                    "divisione per zero: %(what)s vale 0"),
                                         what=self.describe(node.right)))
            return a / b
        except ArithmeticError:
            return NotComputable(msg(gettext_noop(
                "il risultato è troppo grande per essere calcolato")))

    def describe(self, node: Node) -> str:
        if isinstance(node, Ref):
            return f"{node.name} ({self.year - node.offset})"
        return f"'{_unparse(node)}' ({self.year})"

    def call(self, node: Call) -> Value:
        if node.name == "if":
            cond = self.ev(node.args[0])
            if isinstance(cond, NotMeasured | NotComputable):
                return cond
            if not isinstance(cond, bool):
                return NotComputable(msg(gettext_noop("if() vuole una condizione sì/no")))
            return self.ev(node.args[1] if cond else node.args[2])
        vals = [self.ev(a) for a in node.args]
        problem = merge_problems(vals)
        if problem is not None:
            return problem
        nums: list[Decimal] = []
        for v in vals:
            if isinstance(v, bool) or not isinstance(v, Decimal):
                return NotComputable(msg(gettext_noop(
                    "%(name)s() vuole numeri, non un valore sì/no"),
                                         name=node.name))
            nums.append(v)
        if node.name == "min":
            return min(nums)
        if node.name == "max":
            return max(nums)
        return abs(nums[0])




# -- printing ---------------------------------------------------------------

def _decimal_text(d: Decimal) -> str:
    return f"{d:f}"


def _unparse(node: Node) -> str:
    if isinstance(node, Num):
        return _decimal_text(node.value)
    if isinstance(node, Bool):
        return "true" if node.value else "false"
    if isinstance(node, Ref):
        return f"{node.name}[t-{node.offset}]" if node.offset else node.name
    if isinstance(node, Unary):
        inner = _unparse(node.operand)
        mine = _NOT_BP if node.op == "not" else _NEG_BP
        if _prec(node.operand) < mine:
            inner = f"({inner})"
        return f"not {inner}" if node.op == "not" else f"{node.op}{inner}"
    if isinstance(node, Binary):
        p = _BP[node.op]
        left, right = _unparse(node.left), _unparse(node.right)
        lp = _prec(node.left)
        if lp < p or (node.op in _COMPARISONS and lp <= p):
            left = f"({left})"
        if _prec(node.right) <= p:
            right = f"({right})"
        return f"{left} {node.op} {right}"
    return f"{node.name}({', '.join(_unparse(a) for a in node.args)})"


def _walk(node: Node) -> Iterator[Node]:
    stack: list[Node] = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, Unary):
            stack.append(n.operand)
        elif isinstance(n, Binary):
            stack.extend((n.right, n.left))
        elif isinstance(n, Call):
            stack.extend(reversed(n.args))


# -- the public object -------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Reference:
    """A variable read by a formula, ``offset`` years before the evaluated one."""

    name: str
    offset: int
    #: 1-based column of its first use
    column: int


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A formula evaluated for one year, with every input it read."""

    #: the formula as written
    text: str
    year: int
    inputs: tuple[Input, ...]
    value: Value

    def as_dict(self) -> dict[str, object]:
        return cast(dict[str, object], to_data(self))


@dataclass(frozen=True, slots=True)
class Formula:
    """A parsed formula. Build it with :func:`parse`."""

    text: str
    tree: Node = field(repr=False)
    references: tuple[Reference, ...] = field(repr=False)
    #: what each variable must be, where the formula makes it clear
    variable_kinds: Mapping[str, VariableKind] = field(repr=False)
    #: ``VariableKind`` of the result, ``None`` when it depends on untyped inputs
    result_kind: VariableKind | None = field(repr=False)

    def __hash__(self) -> int:
        # equal formulas have equal text; the mappings inside are not hashable
        return hash(self.text)

    @property
    def canonical(self) -> str:
        """The formula as the engine reads it, with only the parentheses needed."""
        return _unparse(self.tree)

    @property
    def variables(self) -> Mapping[str, frozenset[int]]:
        """Each variable name with the year offsets it is read at (0 = the year itself)."""
        out: dict[str, set[int]] = {}
        for r in self.references:
            out.setdefault(r.name, set()).add(r.offset)
        return {k: frozenset(v) for k, v in sorted(out.items())}

    @property
    def names(self) -> frozenset[str]:
        return frozenset(r.name for r in self.references)

    def needs(self, year: int) -> frozenset[VarKey]:
        """Every ``(variable, year)`` an evaluation for ``year`` may read."""
        return frozenset((r.name, year - r.offset) for r in self.references)

    def evaluate(self, inputs: Inputs, year: int) -> Value:
        """The value of the formula for ``year``; never raises for bad inputs."""
        return self.trace(inputs, year).value

    def trace(
        self, inputs: Inputs, year: int, variables: Mapping[str, Variable] | None = None,
        *, default_source: str = "",
    ) -> Evaluation:
        """Evaluate and record every input read, with its source (for explanations)."""
        ev = _Evaluator(inputs, year)
        with localcontext(DECIMAL_CONTEXT):
            try:
                value = ev.ev(self.tree)
            except ArithmeticError:  # pragma: no cover - every operation is guarded
                value = NotComputable(msg(gettext_noop("errore aritmetico")))
        if isinstance(value, Decimal):
            value = _clean(value)
        declared = variables or {}
        used: list[Input] = []
        for (name, y), (offset, v) in sorted(ev.used.items()):
            var = declared.get(name)
            used.append(Input(
                name=name, year=y, offset=offset, value=v,
                source=(var.source if var and var.source else default_source),
                label=var.label if var else "",
            ))
        return Evaluation(text=self.text, year=year, inputs=tuple(used), value=value)

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "canonical": self.canonical,
            "variables": {k: sorted(v) for k, v in self.variables.items()},
            "variable_kinds": {k: v.value for k, v in self.variable_kinds.items()},
            "result_kind": self.result_kind.value if self.result_kind else None,
        }


def _clean(d: Decimal) -> Decimal:
    """Drop trailing zeros left by the arithmetic (``0.920`` becomes ``0.92``)."""
    if d.is_zero():
        return Decimal(0)
    n = d.normalize(DECIMAL_CONTEXT)
    exponent = n.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0 and n.adjusted() < DECIMAL_CONTEXT.prec:
        # an integer: keep it in plain notation (1100, not 1.1E+3)
        n = n.quantize(Decimal(1), context=DECIMAL_CONTEXT)
    return n


def parse(text: str) -> Formula:
    """Read a formula; raise :class:`FormulaError` (with the column) if it is not valid."""
    norm = unicodedata.normalize("NFC", text)
    parser = _Parser(norm)
    tree = parser.parse()
    checker = _Checker(norm)
    result = checker.check(tree, _Ty.ANY)
    refs: dict[tuple[str, int], int] = {}
    for node in _walk(tree):
        if isinstance(node, Ref):
            key = (node.name, node.offset)
            refs[key] = min(refs.get(key, node.pos), node.pos)
    references = tuple(
        Reference(name, offset, pos + 1)
        for (name, offset), pos in sorted(refs.items(), key=lambda kv: (kv[1], kv[0]))
    )
    kinds = {
        name: VariableKind.NUMBER if ty is _Ty.NUM else VariableKind.YES_NO
        for name, (ty, _pos) in sorted(checker.vars.items())
    }
    result_kind = {_Ty.NUM: VariableKind.NUMBER, _Ty.BOOL: VariableKind.YES_NO}.get(result)
    return Formula(text=norm, tree=tree, references=references, variable_kinds=kinds,
                   result_kind=result_kind)
