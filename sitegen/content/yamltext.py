"""YAML text the generator writes for editors (`new`, `import`): values that read back exactly.

A name is written plain when it is plainly text (`Amber Valley`, `O'Hara`, `Ynys Môn`) and in double
quotes otherwise: a colon or `#` (`"Bath: North #2"`), a word YAML reads as true, false or nothing
(`"Yes"`, `"No"`, `"null"`), digits (`"0105"`), brackets or a comma inside `{...}`, leading or
trailing spaces. Every value is read back with the project's own loader before it is used, so a
rule missed here shows up as a quoted value, never as a changed one.
"""
from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

# Plain text YAML cannot misread: starts with a letter, then letters, digits, spaces and a few
# marks, never ': ' or ' #'. Words YAML 1.1 reads as booleans or null are quoted whatever their case.
_PLAIN = re.compile(r"[^\W\d_][\w .'’()&/+:-]*[\w.')’]|[^\W\d_]", re.UNICODE)
_SPECIAL = frozenset("y n yes no on off true false null nan inf".split())


def _reads_back(text: str, flow: bool) -> bool:
    """Return True when `text`, written plain, is read back as the same string."""
    from sitegen.content.read import parse_yaml
    parsed, error = parse_yaml(f"k: {{v: {text}}}\n" if flow else f"k: {text}\n", "-")
    if error or parsed is None:
        return False
    value = parsed.data["k"]["v"] if flow else parsed.data["k"]
    return value == text


def scalar(value: Any, flow: bool = True) -> str:
    """Return `value` as YAML: a number, or text plain where that reads back, else double-quoted.
    `flow`: the value sits inside `{...}`, where a comma would end it."""
    if isinstance(value, bool):
        raise TypeError("content files hold no true/false values")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):  # a date, or a date and time: written as YAML reads them back
        return value.isoformat()
    text = str(value)
    if (_PLAIN.fullmatch(text) and text.casefold() not in _SPECIAL and "  " not in text
            and not (flow and "," in text) and _reads_back(text, flow)):
        return text
    return quoted(text)


def quoted(text: str) -> str:
    """Return `text` as a YAML double-quoted scalar (JSON's escapes are YAML's too)."""
    return json.dumps(text, ensure_ascii=False)


def flow_mapping(fields: dict[str, Any]) -> str:
    """Return a one-line `{key: value, ...}` of the fields that are not None."""
    return "{" + ", ".join(f"{key}: {_flow_value(value)}" for key, value in fields.items() if value is not None) + "}"


def _flow_value(value: Any) -> str:
    if isinstance(value, dict):
        return flow_mapping(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow_value(v) for v in value) + "]"
    return scalar(value)


def key(text: str) -> str:
    """Return a mapping key: plain when it reads back as the same text, else quoted."""
    return scalar(text)


def block(fields: dict[str, Any], indent: int = 0) -> list[str]:
    """Return `key: value` lines, nested mappings indented under their key (None values left out)."""
    pad = " " * indent
    lines = []
    for name, value in fields.items():
        if value is None:
            continue
        if isinstance(value, dict) and value and any(isinstance(v, dict) for v in value.values()):
            lines.append(f"{pad}{key(name)}:")
            lines += block(value, indent + 2)
        elif isinstance(value, (dict, list, tuple)):
            lines.append(f"{pad}{key(name)}: {_flow_value(value)}")
        else:
            lines.append(f"{pad}{key(name)}: {scalar(value, flow=False)}")
    return lines
