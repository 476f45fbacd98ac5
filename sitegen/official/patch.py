"""Change a content file's YAML text field by field, keeping everything an editor wrote around the
fields that change: comments, other fields, the order of lines.

The file is parsed once for where each top-level field and each candidate line starts and ends
(PyYAML's marks); a change replaces exactly those lines, so a file written by hand stays as it was
except where the import had something new to say."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

import yaml

from sitegen.content.read import _Loader

# The order import writes a seat file's fields in; a field it adds goes before the first field
# that comes after it here.
FIELD_ORDER = ("name", "ons_code", "electorate", "valid_votes", "rejected", "elected", "result_source", "provisional",
               "recorded_at", "declared_at", "declared_at_approx", "status", "recount_note", "hex", "previous",
               "candidates", "sources", "corrections")


@dataclass
class _Span:
    """Lines [first, last] (0-based, inclusive) of one field or one list item."""

    first: int
    last: int
    node: yaml.Node


class FileText:
    """A YAML file's lines, with where each top-level field and each candidate starts and ends."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
        if not isinstance(root, yaml.MappingNode):
            raise ValueError("not a block of fields")
        self.fields: dict[str, _Span] = {}
        keys = [(k.value, k.start_mark.line, v) for k, v in root.value]
        for i, (name, line, value) in enumerate(keys):
            end = keys[i + 1][1] - 1 if i + 1 < len(keys) else len(self.lines) - 1
            end = max(line, self._trim(line, end))
            self.fields[name] = _Span(line, end, value)
        self.edits: list[tuple[int, int, list[str]]] = []  # replace lines [first, last]
        self.inserts: dict[int, list[tuple[str, list[str]]]] = {}  # new fields, by the line they go before

    def _trim(self, first: int, last: int) -> int:
        """Return `last` moved up past blank and comment-only lines (they belong to what follows)."""
        while last > first and (not self.lines[last].strip() or self.lines[last].lstrip().startswith("#")):
            last -= 1
        return last

    def candidate_items(self) -> Optional[list[_Span]]:
        """Return each candidate's lines, or None when `candidates` is not a block list."""
        span = self.fields.get("candidates")
        if span is None or not isinstance(span.node, yaml.SequenceNode) or span.node.flow_style:
            return None
        items = span.node.value
        starts = [item.start_mark.line for item in items]
        spans = []
        for i, item in enumerate(items):
            end = starts[i + 1] - 1 if i + 1 < len(items) else span.last
            spans.append(_Span(starts[i], max(starts[i], self._trim(starts[i], end)), item))
        return spans

    def item_indent(self) -> str:
        """Return how candidate lines are indented ('  ' before '- ')."""
        items = self.candidate_items()
        if items:
            line = self.lines[items[0].first]
            return line[:len(line) - len(line.lstrip())]
        return "  "

    def trailing_comment(self, span: _Span) -> str:
        """Return the comment after a one-line field's value ('   # note'), or ''."""
        if span.first != span.last:
            return ""
        line, end = self.lines[span.first], span.node.end_mark
        rest = line[end.column:] if end.line == span.first else ""
        match = re.match(r"^(\s+#.*)$", rest)
        return match.group(1) if match else ""

    def set_field(self, name: str, lines: list[str], keep_comment: bool = True) -> None:
        """Replace a top-level field's lines with `lines` (its `name: ...` line first), keeping a
        comment at the end of a one-line field; add the field in FIELD_ORDER's place if absent."""
        span = self.fields.get(name)
        if span is not None:
            if keep_comment and len(lines) == 1:
                lines = [lines[0] + self.trailing_comment(span)]
            self.edits.append((span.first, span.last, lines))
            return
        later = FIELD_ORDER[FIELD_ORDER.index(name) + 1:] if name in FIELD_ORDER else ()
        before = [self.fields[f].first for f in later if f in self.fields]
        at = min(before) if before else len(self.lines)
        self.inserts.setdefault(at, []).append((name, lines))

    def set_candidates(self, items: list[list[str]]) -> None:
        """Replace the candidates list with `items`, each the lines of one candidate."""
        span = self.fields["candidates"]
        spans = self.candidate_items()
        first = spans[0].first if spans else span.first + 1
        if spans is None or not spans:
            self.edits.append((span.first, span.last, ["candidates:"] + [line for item in items for line in item]))
            return
        self.edits.append((first, spans[-1].last, [line for item in items for line in item]))

    def text(self) -> str:
        """Return the text with every change made."""
        edits = list(self.edits)
        for at, fields in self.inserts.items():  # fields added at one place go in FIELD_ORDER's order
            fields.sort(key=lambda f: FIELD_ORDER.index(f[0]) if f[0] in FIELD_ORDER else len(FIELD_ORDER))
            edits.append((at, at - 1, [line for _, new in fields for line in new]))
        lines = list(self.lines)
        for first, last, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            lines[first:last + 1] = new
        return "\n".join(lines) + "\n"
