"""Parties by identity, not by name.

Each official file names a party its own way ("Conservative and Unionist Party", "Conservative",
"Con") and identifies it its own way (Democracy Club's key or Electoral Commission id, the UK
Parliament's MNIS id). A `PartyRef` is what one row says; `resolve` finds the content's party for
it: first by an identity the content's party carries (`ids` in parties.yml), then through the
parties every UK file has (`KNOWN`, each known by its names and identities together), then by
name. The Brexit Party of 2019 is Reform UK; Labour and Co-operative is Labour with an adjunct;
the Scottish Green Party is its own party; the Speaker is neither a party nor an independent.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Optional

from sitegen.config import slugify
from sitegen.content.model import Party

NEUTRAL_COLOUR = "#9AA0A6"  # for a party the tool does not know: the editor is asked for the real one


@dataclass(frozen=True)
class PartyRef:
    """A party as one row of an official file gives it."""

    name: str
    short: str = ""
    ids: tuple[str, ...] = ()      # 'PP53', 'mnis:15'
    kind: str = "party"            # 'independent' or 'speaker' when the file says so
    adjunct: str = ""              # 'Co-operative Party' for a joint candidacy
    key: str = ""                  # Democracy Club's short key ('con', 'ref', 'other')


@dataclass(frozen=True)
class Known:
    """A party the UK's official files carry, with the names and identities they give it."""

    key: str
    name: str
    short: str
    colour: str
    names: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()   # as the results files abbreviate it ('RUK')
    dc_keys: tuple[str, ...] = ()
    kind: str = "party"
    collective: Optional[str] = None
    all_names: frozenset[str] = field(default=frozenset(), compare=False)


def normal(name: str) -> str:
    """Return a party name reduced to what tells it apart: 'The Conservative and Unionist Party'
    and 'Conservative & Unionist' compare equal; 'Scottish Green Party' and 'Green Party' do not."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = text.replace("&", " and ")
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in ("the", "party")]
    return " ".join(words)


def _known(key: str, name: str, short: str, colour: str, names: tuple = (), ids: tuple = (), abbreviations: tuple = (),
           dc_keys: tuple = (), kind: str = "party", collective: Optional[str] = None) -> Known:
    every = frozenset(normal(n) for n in (name, *names))
    return Known(key, name, short, colour, names, ids, abbreviations or (short,), dc_keys, kind, collective, every)


KNOWN = (
    _known("con", "Conservative", "Con", "#0087DC", ("Conservative and Unionist Party", "Conservative and Unionist"),
           ("PP52", "mnis:4"), ("Con",), ("con",), collective="the Conservatives"),
    # Labour and Co-operative candidates are Labour, with the Co-operative Party as adjunct
    _known("lab", "Labour", "Lab", "#E4003B", ("Labour Party", "Labour and Co-operative Party", "Labour and Co-operative",
                                               "Labour Co-operative"), ("PP53", "mnis:15"), ("Lab",), ("lab",)),
    _known("ld", "Liberal Democrats", "LD", "#FAA61A", ("Liberal Democrat",), ("PP90", "mnis:17"), ("LD",), ("ld",),
           collective="the Liberal Democrats"),
    _known("green", "Green Party", "Green", "#02A95B", ("Green",), ("PP63", "mnis:44"), ("Green", "Grn"), ("green",),
           collective="the Greens"),
    _known("reform", "Reform UK", "Reform", "#12B6CF", ("The Brexit Party", "Brexit Party"),
           ("PP7931", "mnis:1036", "mnis:1006"), ("RUK", "Reform", "BRX", "Brexit"), ("ref", "reform")),
    _known("snp", "Scottish National Party", "SNP", "#FDF38E", ("SNP", "Scottish National Party (SNP)"),
           ("PP102", "mnis:29"), ("SNP",), ("snp",)),
    _known("pc", "Plaid Cymru", "PC", "#005B54", ("Plaid Cymru - The Party of Wales",), ("PP77", "mnis:22"), ("PC",),
           ("pc",)),
    _known("sgp", "Scottish Green Party", "SGP", "#00B140", ("Scottish Greens",), ("PP130",), ("SGP", "Scot Grn"),
           collective="the Scottish Greens"),
    _known("dup", "Democratic Unionist Party", "DUP", "#D46A4C", ("Democratic Unionist Party - D.U.P.",),
           ("PP70", "mnis:7"), ("DUP",)),
    _known("sf", "Sinn Féin", "SF", "#326760", ("Sinn Fein",), ("PP39", "mnis:30"), ("SF",)),
    _known("sdlp", "Social Democratic and Labour Party", "SDLP", "#2AA82C",
           ("SDLP (Social Democratic & Labour Party)", "Social Democratic & Labour Party"), ("PP55", "mnis:31"),
           ("SDLP",)),
    _known("uup", "Ulster Unionist Party", "UUP", "#48A5EE", (), ("PP83", "mnis:38"), ("UUP",)),
    _known("alliance", "Alliance Party of Northern Ireland", "Alliance", "#F6CB2F",
           ("Alliance - Alliance Party of Northern Ireland", "Alliance Party", "Alliance"), ("PP103", "mnis:1"),
           ("APNI", "All", "Alliance")),
    _known("tuv", "Traditional Unionist Voice", "TUV", "#0C3A6A", ("Traditional Unionist Voice - TUV",), ("PP680",),
           ("TUV",)),
    _known("workers", "Workers Party of Britain", "Workers", "#9E1B32", ("Workers Party",), ("PP11382", "mnis:1042"),
           ("WPB", "Workers")),
    _known("speaker", "Speaker", "Spk", "#3D3D3D", ("The Speaker", "Speaker seeking re-election"), ("mnis:47",),
           ("Spk",), kind="speaker", collective="the Speaker"),
    _known("ind", "Independent", "Ind", "#8C8C8C", (), ("mnis:8",), ("Ind",), kind="independent",
           collective="an independent"),
)
KNOWN_BY_KEY = {k.key: k for k in KNOWN}


def known_party(ref: PartyRef) -> Optional[Known]:
    """Return the well-known party a row names, when its name (or, with a name that agrees, its
    identity or key) says so: an identity alone never decides, so a mistaken one cannot merge two
    parties."""
    if ref.kind in ("independent", "speaker"):
        return KNOWN_BY_KEY["ind" if ref.kind == "independent" else "speaker"]
    name = normal(ref.name)
    for known in KNOWN:
        if name and name in known.all_names:
            return known
    for known in KNOWN:  # a short name or key with an identity that agrees
        agrees = bool(set(ref.ids) & set(known.ids)) or (ref.key and ref.key in known.dc_keys)
        if agrees and (not name or normal(ref.short) in {normal(a) for a in known.abbreviations}):
            return known
    return None


def _ids(party: Party) -> set[str]:
    return set(party.ids)


def resolve(ref: PartyRef, parties: dict[str, Party]) -> Optional[str]:
    """Return the id in parties.yml of the party a row names, or None when it has none yet."""
    if ref.kind in ("independent", "speaker"):
        return next((pid for pid, p in parties.items() if (p.kind or "party") == ref.kind), None)
    for pid, party in parties.items():
        if set(ref.ids) & _ids(party) and not party.is_independent:
            return pid
    known = known_party(ref)
    names = known.all_names if known else frozenset({normal(ref.name)})
    for pid, party in parties.items():
        if party.kind not in (None, "party"):
            continue
        if normal(party.name) in names or (known and _ids(party) & set(known.ids)):
            return pid
    return None


def new_party(ref: PartyRef, taken: set[str]) -> tuple[str, dict, bool]:
    """Return an id, the parties.yml fields and whether it is a known party, for a party the
    content does not have yet (a neutral colour when the party is not known)."""
    known = known_party(ref)
    if known is not None:
        pid, name, short, colour = known.key, known.name, known.short, known.colour
        ids = sorted(set(known.ids) | set(ref.ids), key=_identity_order)
    else:
        name = ref.name.strip()
        short = ref.short or _initials(name)
        pid = slugify(short if len(slugify(name)) > 24 or "(" in name else name)[:24].strip("-") or "party"
        colour, ids = NEUTRAL_COLOUR, sorted(set(ref.ids), key=_identity_order)
    base, n = pid, 2
    while pid in taken:
        pid, n = f"{base}-{n}", n + 1
    fields = {"name": name, "short": short, "colour": colour,
              "collective_name": known.collective if known else None,
              "kind": None if (known.kind if known else "party") == "party" else known.kind,  # type: ignore[union-attr]
              "ids": ids or None}
    return pid, fields, known is not None


def _identity_order(identity: str) -> tuple:
    kind, _, number = identity.partition(":") if ":" in identity else ("", "", identity)
    digits = re.sub(r"\D", "", number)
    return (kind, int(digits) if digits else 0, identity)


def _initials(name: str) -> str:
    given = re.search(r"\(([A-Z][A-Za-z0-9&]{1,9})\)", name)  # 'Chesterfield ... Independents (CANDI)'
    if given:
        return given.group(1)
    words = [w for w in re.split(r"[^\w]+", name) if w and w.casefold() not in ("the", "of", "and", "for")]
    return ("".join(w[0].upper() for w in words) or name)[:8]
