"""Which official row is which candidate: by identity first, never by name alone when anything
better is known.

Seats are joined by ONS code (by name only where the content has no code yet); candidates by
Democracy Club person id where the file has one, then by party within the seat (one candidate per
party, independents aside), then by name: the full name, then surname and first initial, then
surname alone when only one candidate has it. Democracy Club lists some candidates under their full
legal names ('Jonathan Brian Pearce') where the declaration has the ballot name ('Jon Pearce'):
their person id or their party still finds them."""
from __future__ import annotations

import unicodedata
from typing import Any, Callable, Optional, Sequence, TypeVar

from sitegen.content.model import Party
from sitegen.official.parties import resolve
from sitegen.official.records import Entry

T = TypeVar("T")


def name_key(name: str) -> str:
    """Return a name reduced for comparing: accents, case, punctuation and spacing set aside."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def _initial_key(name: str) -> str:
    words = name_key(name).split()
    return f"{words[0][:1]} {words[-1]}" if words else ""


def _surname_key(name: str) -> str:
    words = name_key(name).split()
    return words[-1] if words else ""


def pair_up(entries: Sequence[Entry], candidates: Sequence[T], parties: dict[str, Party],
            name_of: Callable[[T], str], party_of: Callable[[T], str],
            person_of: Callable[[T], Optional[str]]) -> tuple[dict[int, int], list[int], list[int]]:
    """Return which candidate each official entry is (entry index -> candidate index), and the
    entries and the candidates left unpaired."""
    pairs: dict[int, int] = {}
    free = set(range(len(candidates)))

    def take(e: int, c: int) -> None:
        pairs[e] = c
        free.discard(c)

    for e, entry in enumerate(entries):  # 1. the person id
        if entry.person_id:
            match = [c for c in free if person_of(candidates[c]) == entry.person_id]
            if len(match) == 1:
                take(e, match[0])
    resolved = {e: resolve(entry.party, parties) for e, entry in enumerate(entries)}
    for e, entry in enumerate(entries):  # 2. the party, where the seat has one candidate of it
        party = resolved[e]
        if e in pairs or party is None or entry.party.kind != "party":
            continue
        same_party_entries = [x for x in range(len(entries)) if resolved[x] == party]
        match = [c for c in free if party_of(candidates[c]) == party]
        if len(match) == 1 and len(same_party_entries) == 1:
            take(e, match[0])
    for key in (name_key, _initial_key, _surname_key):  # 3. the name, ever looser, only where unique
        for e, entry in enumerate(entries):
            if e in pairs or not entry.name:
                continue
            match = [c for c in free if key(name_of(candidates[c])) == key(entry.name)
                     and (resolved[e] is None or party_of(candidates[c]) == resolved[e]
                          or entry.party.kind != "party")]
            rivals = [x for x, other in enumerate(entries) if x not in pairs and key(other.name) == key(entry.name)]
            if len(match) == 1 and len(rivals) == 1:
                take(e, match[0])
    return pairs, [e for e in range(len(entries)) if e not in pairs], sorted(free)


def seat_key(code: Optional[str], name: str) -> str:
    """Return how a seat is known across files: its ONS code, else its name."""
    return code.upper() if code else "name:" + name_key(name)


def field(data: Any, *path: Any) -> Any:
    """Return data[path...] from parsed YAML, or None where any step is missing."""
    for step in path:
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data
