"""What content fields accept: the markers model.py declares fields with, the check that turns parsed
YAML into model objects, and the JSON Schema of each model for editors' tools.

One declaration serves all three, so the validator, the model and the schema files cannot disagree.
A check collects every problem it meets as a typed `Problem` that words itself for an editor;
checks.py adds the file, line and column. (The model was first declared with pydantic, whose
import alone took longer than checking 650 constituencies.)
"""
from __future__ import annotations

import dataclasses
import difflib
import re
import typing
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable, NamedTuple, Optional

Loc = tuple  # a path into the data, e.g. ("candidates", 2, "party"); a mapping key ends in "[key]"


@dataclasses.dataclass(frozen=True)
class Accepts:
    """What one field accepts. `kind` is one of:

    - "text": a string, or a number kept as typed (`2019`), trimmed, at least `min_length` long;
    - "string": a string, trimmed, matching `pattern`;
    - "int": a whole number (true and false are not numbers), within `ge`/`gt`;
    - "date": a date; "datetime": a date and time with its UTC offset; "flag": true or false;
    - "list": a list of at least `min_length` items.
    """

    kind: str
    pattern: Optional[str] = None
    ge: Optional[int] = None
    gt: Optional[int] = None
    le: Optional[int] = None
    min_length: Optional[int] = None
    expects: Optional[str] = None  # a "string" field: what matches `pattern`, in an editor's words


@dataclasses.dataclass(frozen=True)
class Doc:
    """A field's description, shown to editors (hover help in their editor, docs/CONTENT.md)."""

    text: str


class Field(NamedTuple):
    name: str
    type: Any
    required: bool
    doc: Optional[str]


class _Invalid:
    """What a check returns for a value it could not accept (its problems are recorded)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


@lru_cache(maxsize=None)
def model_fields(model: type) -> tuple[Field, ...]:
    """Return a model's fields in declaration order, with their full types."""
    hints = typing.get_type_hints(model, include_extras=True)
    fields = []
    for f in dataclasses.fields(model):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        doc = next((m.text for m in getattr(hints[f.name], "__metadata__", ()) if isinstance(m, Doc)), None)
        fields.append(Field(f.name, hints[f.name], required, doc))
    return tuple(fields)


@lru_cache(maxsize=None)
def shape(tp: Any) -> tuple:
    """Return what a type is, as one of:

    ("optional", inner), ("model", class), ("list", item type, Accepts), ("dict", key type,
    value type), ("scalar", Accepts).
    """
    meta: tuple = ()
    if typing.get_origin(tp) is typing.Annotated:
        meta, tp = tp.__metadata__, typing.get_args(tp)[0]
    accepts = next((m for m in meta if isinstance(m, Accepts)), None)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Union and type(None) in args:
        inner = next(a for a in args if a is not type(None))
        return ("optional", typing.Annotated[(inner, *meta)] if meta else inner)
    if dataclasses.is_dataclass(tp):
        return ("model", tp)
    if origin is list:
        return ("list", args[0], accepts or Accepts("list"))
    if origin is dict:
        return ("dict", args[0], args[1])
    if accepts is None:
        raise TypeError(f"no Accepts(...) declared for {tp!r}")
    return ("scalar", accepts)



def describe(value: Any) -> str:
    """Return how a value looks in a message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes, no, true and false as true or false)"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (int, Decimal, float)):
        return str(value)
    if isinstance(value, dict):
        return "a block of fields"
    if isinstance(value, list):
        return "a list"
    return repr(value)


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with one value, at `loc`; each kind words its own message."""

    loc: Loc
    value: Any

    blank_means_unfilled = True  # a field left empty (`votes:`) is told to be filled in instead

    def message(self) -> str:
        """Return what was expected and what was found, in an editor's words."""
        if self.value is None and self.blank_means_unfilled:
            return "is empty; fill it in (every field is described in docs/CONTENT.md)"
        return self.explain()

    def explain(self) -> str:
        raise NotImplementedError


@dataclasses.dataclass(frozen=True)
class WrongType(Problem):
    """A value of the wrong kind: `expected` says which, `advice` how to fix a common slip."""

    expected: str
    advice: str = ""

    def explain(self) -> str:
        return f"expected {self.expected}, got {describe(self.value)}{self.advice}"


@dataclasses.dataclass(frozen=True)
class OutOfRange(Problem):
    """A number beyond a bound: `bound` as written, e.g. '>= 0'."""

    bound: str

    def explain(self) -> str:
        return f"expected a whole number {self.bound}, got {describe(self.value)}"


@dataclasses.dataclass(frozen=True)
class NoMatch(Problem):
    """Text that does not match its field's pattern; `expects` says what would."""

    expects: str

    def explain(self) -> str:
        return f"expected {self.expects}, got {describe(self.value)}"


@dataclasses.dataclass(frozen=True)
class Blank(Problem):
    """Text that is empty once trimmed."""

    def explain(self) -> str:
        return "must not be empty"


@dataclasses.dataclass(frozen=True)
class BadCharacter(Problem):
    """Text with a character that has no place in it: `why` says which and what it would do."""

    why: str

    def explain(self) -> str:
        return self.why


@dataclasses.dataclass(frozen=True)
class TooFew(Problem):
    """A list with fewer items than its field needs."""

    def explain(self) -> str:
        return "expected at least one entry"


@dataclasses.dataclass(frozen=True)
class Missing(Problem):
    """A required field that is absent (`value` is the block it is missing from)."""

    blank_means_unfilled = False

    def explain(self) -> str:
        return "required field is missing"


@dataclasses.dataclass(frozen=True)
class UnknownField(Problem):
    """A field name the block does not have; `known` lists those it has."""

    known: tuple[str, ...] = ()
    blank_means_unfilled = False

    def explain(self) -> str:
        name = str(self.loc[-1])
        if name.isdigit():
            return (f"unknown field {name!r}: a number with a comma splits in two inside "
                    "{...}; write numbers without commas (17224, not 17,224)")
        close = difflib.get_close_matches(name, self.known, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (expected one of: {', '.join(self.known)})"
        return f"unknown field {name!r}{hint}"


# Characters that reorder the text around them (embeddings, overrides and isolates); the plain
# left-to-right and right-to-left marks are harmless and allowed.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def repair_mojibake(text: str) -> Optional[str]:
    """Return `text` as it was meant when it is UTF-8 that was read as Latin-1 or Windows-1252 on the
    way ('Ã' and a control character for 'Á', 'Ã©' for 'é'), else None."""
    if not any(0x80 <= ord(c) <= 0xFF for c in text):
        return None
    for encoding in ("cp1252", "latin-1"):
        try:
            repaired = text.encode(encoding).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if repaired != text and not any(unicodedata.category(c) == "Cc" for c in repaired):
            return unicodedata.normalize("NFC", repaired)
    return None


def mojibake_hint(word: str) -> str:
    """Return a hint naming the repaired text when `word` looks mis-encoded, else ''."""
    repaired = repair_mojibake(word)
    return (f" (it looks like mis-encoded text: is {word!r} meant to be {repaired!r}?)") if repaired else ""


def is_noncharacter(code: int) -> bool:
    """Return True for the 66 code points Unicode keeps out of text for good (U+FDD0 to U+FDEF, and
    the last two of every plane, U+FFFE and U+FFFF among them): XML refuses U+FFFE and U+FFFF, so
    one in a name would make feed.xml unreadable to every feed reader."""
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def character_problem(text: str) -> Optional[str]:
    """Return what is wrong with the characters of a text value, or None."""
    for char in text:
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return (f"contains U+{code:04X}, half of a character (a lone surrogate) that no page or file "
                    "can hold; retype the text")
        if is_noncharacter(code):
            return (f"contains U+{code:04X}, which is not a character (Unicode keeps it out of text) and "
                    "would make the feed unreadable; delete it (retype the text if you cannot see it)")
        if char in _BIDI_CONTROLS:
            return (f"contains the invisible direction control U+{ord(char):04X}, which would reorder "
                    "the words around it on the page; delete it (retype the text if you cannot see it)")
        if unicodedata.category(char) == "Cc":
            return (f"contains the control character U+{ord(char):04X}; delete it (retype the text if "
                    f"you cannot see it){mojibake_hint(text)}")
    if all(unicodedata.category(char) in ("Cf", "Zs", "Zl", "Zp", "Mn", "Me") for char in text):
        return "has only invisible characters; write the text out"
    return None


def _number_advice(value: Any) -> str:
    """Return a hint for a number written in a way that is not plain decimal digits."""
    if not isinstance(value, str):
        return ""
    text = value.strip().lstrip("+-")
    if text.replace(",", "").replace(" ", "").isdigit() and text != text.replace(",", "").replace(" ", ""):
        return " (write numbers without commas or spaces)"
    if text.isdigit() and len(text) > 1 and text.startswith("0"):
        return f" (write it without the leading zero: {int(text)})"
    if re.fullmatch(r"[0-9_]+", text) and "_" in text:
        return f" (write numbers without '_': {text.replace('_', '')})"
    if re.fullmatch(r"[0-9]+(?::[0-5]?[0-9])+", text):
        return " (YAML reads digits joined by ':' as minutes and seconds; write the number on its own)"
    if re.fullmatch(r"0[xXoObB][0-9a-fA-F_]+", text):
        return " (write the number in decimal digits)"
    return ""


def _date_advice(value: Any) -> str:
    """Return a hint for a date or time that looks right but does not exist (2024-02-30)."""
    if isinstance(value, str) and re.match(r"\d{4}-\d{1,2}-\d{1,2}", value.strip()):
        return " (there is no such date or time)"
    return ""


BLOCK = "a block of 'field: value' lines"
DATETIME = "a date and time with its UTC offset, like 2024-07-05T03:40:00+01:00"


def _problem(problems: list[Problem], problem: Problem) -> Any:
    problems.append(problem)
    return INVALID


def check(tp: Any, value: Any, problems: list[Problem], loc: Loc = ()) -> Any:
    """Return `value` (parsed YAML) made into `tp`, or INVALID after adding its problems to `problems`.

    Every problem is found, not only the first: a model checks all its fields, a list all its items.
    """
    return field_check(tp)(value, problems, loc)


FieldCheck = Callable[[Any, list, Loc], Any]


@lru_cache(maxsize=None)
def field_check(tp: Any) -> FieldCheck:
    """Return the function that checks values against `tp`, made once per type."""
    kind, *parts = shape(tp)
    if kind == "optional":
        inner = field_check(parts[0])
        return lambda value, problems, loc: None if value is None else inner(value, problems, loc)
    if kind == "model":
        return _model_check(parts[0])
    if kind == "list":
        return _list_check(field_check(parts[0]), parts[1])
    if kind == "dict":
        return _dict_check(field_check(parts[0]), field_check(parts[1]))
    return _scalar_check(parts[0])


def _model_check(model: type) -> FieldCheck:
    fields = model_fields(model)
    known = {f.name for f in fields}
    names = tuple(sorted(known))
    checkers: list[tuple[str, bool, FieldCheck]] = []

    def check_model(value: Any, problems: list[Problem], loc: Loc) -> Any:
        if not isinstance(value, dict):
            return _problem(problems, WrongType(loc, value, BLOCK))
        if not checkers:  # made on first use, so a model may contain itself
            checkers.extend((f.name, f.required, field_check(f.type)) for f in fields)
        values, ok = {}, True
        for name, required, check_field in checkers:
            if name in value:
                checked = values[name] = check_field(value[name], problems, loc + (name,))
                ok = ok and checked is not INVALID
            elif required:
                _problem(problems, Missing(loc + (name,), value))
                ok = False
        if len(value) > len(values):
            for key in value:
                if key not in known:
                    _problem(problems, UnknownField(loc + (key,), value[key], names))
                    ok = False
        return model(**values) if ok else INVALID
    return check_model


def _list_check(check_item: FieldCheck, accepts: Accepts) -> FieldCheck:
    def check_list(value: Any, problems: list[Problem], loc: Loc) -> Any:
        if not isinstance(value, list):
            return _problem(problems, WrongType(loc, value, "a list (one '- ' line per item)"))
        items = [check_item(v, problems, loc + (i,)) for i, v in enumerate(value)]
        if accepts.min_length is not None and len(items) < accepts.min_length:
            return _problem(problems, TooFew(loc, value))
        return INVALID if any(item is INVALID for item in items) else items
    return check_list


def _dict_check(check_key: FieldCheck, check_value: FieldCheck) -> FieldCheck:
    def check_dict(value: Any, problems: list[Problem], loc: Loc) -> Any:
        if not isinstance(value, dict):
            return _problem(problems, WrongType(loc, value, BLOCK))
        result, ok = {}, True
        for k, v in value.items():
            key = check_key(k, problems, loc + (k, "[key]"))
            checked = check_value(v, problems, loc + (k,))
            ok = ok and key is not INVALID and checked is not INVALID
            result[key] = checked
        return result if ok else INVALID
    return check_dict


def _scalar_check(accepts: Accepts) -> FieldCheck:
    kind = accepts.kind
    pattern = re.compile(accepts.pattern) if accepts.pattern is not None else None
    bounded = accepts.ge is not None or accepts.gt is not None or accepts.le is not None
    if pattern is not None and not accepts.expects:
        raise TypeError(f"Accepts(pattern={accepts.pattern!r}) needs expects=: what matches it, in words")
    expects = accepts.expects or ""

    def check_text(value: Any, problems: list[Problem], loc: Loc) -> Any:
        if kind == "text" and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return _problem(problems, WrongType(loc, value, "text", "; put it in quotes"))
        value = unicodedata.normalize("NFC", value.strip())  # one spelling of each accented letter
        if accepts.min_length is not None and len(value) < accepts.min_length:
            return _problem(problems, Blank(loc, value))
        why = character_problem(value) if not value.isascii() or not value.isprintable() else None
        if why is not None:
            return _problem(problems, BadCharacter(loc, value, why))
        if pattern is not None and not pattern.search(value):
            return _problem(problems, NoMatch(loc, value, expects))
        return value

    def check_int(value: Any, problems: list[Problem], loc: Loc) -> Any:
        if type(value) is not int:
            return _problem(problems, WrongType(loc, value, "a whole number", _number_advice(value)))
        return _bounds(accepts, value, problems, loc) if bounded else value

    def check_date(value: Any, problems: list[Problem], loc: Loc) -> Any:
        if type(value) is not date:
            return _problem(problems, WrongType(loc, value, "a date like 2024-07-04", _date_advice(value)))
        return value

    def check_datetime(value: Any, problems: list[Problem], loc: Loc) -> Any:
        if not isinstance(value, datetime):
            return _problem(problems, WrongType(loc, value, DATETIME, _date_advice(value)))
        if value.utcoffset() is None:
            return _problem(problems, WrongType(loc, value, DATETIME))
        return value

    def check_flag(value: Any, problems: list[Problem], loc: Loc) -> Any:
        if type(value) is not bool:
            return _problem(problems, WrongType(loc, value, "true or false"))
        return value

    checkers = {"text": check_text, "string": check_text, "int": check_int,
                "date": check_date, "datetime": check_datetime, "flag": check_flag}
    if kind not in checkers:
        raise TypeError(f"unknown kind {kind!r}")
    return checkers[kind]


def _bounds(accepts: Accepts, value: Any, problems: list[Problem], loc: Loc) -> Any:
    if accepts.ge is not None and value < accepts.ge:
        return _problem(problems, OutOfRange(loc, value, f">= {accepts.ge}"))
    if accepts.gt is not None and value <= accepts.gt:
        return _problem(problems, OutOfRange(loc, value, f"> {accepts.gt}"))
    if accepts.le is not None and value > accepts.le:
        return _problem(problems, OutOfRange(loc, value, f"<= {accepts.le}"))
    return value


def json_schema(tp: Any) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a type: a model's own fields at the top, the models
    it contains under $defs."""
    defs: dict[str, Any] = {}
    top = _schema(tp, defs)
    if "$ref" in top:  # a model: inline it at the top
        top = defs.pop(top["$ref"].rsplit("/", 1)[1])
    return {"$defs": dict(sorted(defs.items())), **top} if defs else top


def _schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    kind, *parts = shape(tp)
    if kind == "optional":
        inner = _schema(parts[0], defs)
        return {"anyOf": (inner["anyOf"] if list(inner) == ["anyOf"] else [inner]) + [{"type": "null"}]}
    if kind == "model":
        model = parts[0]
        if model.__name__ not in defs:
            defs[model.__name__] = {}  # placeholder against recursion
            properties = {}
            for f in model_fields(model):
                prop = {**_schema(f.type, defs), "title": f.name.replace("_", " ").capitalize()}
                if f.doc:
                    prop["description"] = f.doc
                properties[f.name] = prop
            defs[model.__name__] = {
                "type": "object", "title": model.__name__, "description": (model.__doc__ or "").strip(),
                "properties": properties, "required": [f.name for f in model_fields(model) if f.required],
                "additionalProperties": False}
        return {"$ref": f"#/$defs/{model.__name__}"}
    if kind == "list":
        item, accepts = parts
        schema = {"type": "array", "items": _schema(item, defs)}
        if accepts.min_length is not None:
            schema["minItems"] = accepts.min_length
        return schema
    if kind == "dict":
        return {"type": "object", "propertyNames": _schema(parts[0], defs),
                "additionalProperties": _schema(parts[1], defs)}
    return _scalar_schema(parts[0])


def _scalar_schema(accepts: Accepts) -> dict[str, Any]:
    kind = accepts.kind
    if kind == "text":  # numbers are accepted as typed
        text: dict[str, Any] = {"type": "string"}
        if accepts.min_length is not None:
            text["minLength"] = accepts.min_length
        return {"anyOf": [text, {"type": "number"}]}
    if kind == "date":
        return {"type": "string", "format": "date"}
    if kind == "datetime":
        return {"type": "string", "format": "date-time"}
    if kind == "flag":
        return {"type": "boolean"}
    schema: dict[str, Any] = {"type": {"string": "string", "int": "integer"}[kind]}
    for key, value in (("pattern", accepts.pattern), ("minimum", accepts.ge), ("exclusiveMinimum", accepts.gt),
                       ("maximum", accepts.le)):
        if value is not None:
            schema[key] = value
    return schema
