"""`python3 build.py import candidates|results FILE`: the official data into content files.

Everything is worked out in memory first (a `Plan`: each file's new text and a line per change),
then written file by file, each whole (a temporary file renamed over it). Rules:
- a declared seat is never changed by the candidate list; a declared result that differs from the
  official one is listed, and written only with --apply;
- a candidate added, withdrawn or renamed in the list is added, removed or renamed in an awaited
  seat, unless the editor changed that candidate by hand since the last import (`RECORD` remembers
  what each import wrote, so a hand edit is told from an old import);
- a party the content does not have is added to parties.yml (a neutral colour, with a warning, for
  one this tool does not know).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Optional, TextIO

from sitegen.config import SLUG_RE, Paths, slugify
from sitegen.errors import ContentError, ContentErrors
from sitegen.content.read import load_yaml
from sitegen.content.model import Party
from sitegen.content.fields import INVALID, check
from sitegen.content.schema import modeline
from sitegen.content.yamltext import block, flow_mapping, key, scalar
from sitegen.official.area import Area, HexLayout, choose_seats, read_hexjson
from sitegen.official.matching import field as get, name_key, pair_up, seat_key
from sitegen.official.parties import KNOWN_BY_KEY, PartyRef, known_party, new_party, resolve
from sitegen.official.patch import FileText
from sitegen.official.records import Entry, OfficialData, SeatRecord, read_official
from sitegen.official.tables import DC_CANDIDATES, PARLIAMENT

RECORD = ".imports.json"  # in content/: what each import last wrote, to tell hand edits from old imports
DC_SOURCE = {"title": "Democracy Club: candidates", "url": "https://candidates.democracyclub.org.uk/"}
RESULTS_SOURCE = {"title": "UK Parliament election results", "url": "https://electionresults.parliament.uk/"}


@dataclass
class ImportOptions:
    """What the command line asked for."""

    kind: str                     # 'candidates' or 'results'
    file: Path
    notional: Optional[Path] = None
    hexjson: Optional[Path] = None
    area: Area = field(default_factory=Area)
    apply: bool = False
    area_name: Optional[str] = None
    area_type: Optional[str] = None


@dataclass
class ContentSeat:
    """A constituency file of the content as it stands."""

    slug: str
    path: Path
    text: str
    data: dict

    @property
    def name(self) -> str:
        return str(self.data.get("name") or self.slug)

    @property
    def code(self) -> Optional[str]:
        code = self.data.get("ons_code")
        return str(code).upper() if code else None

    @property
    def candidates(self) -> list[dict]:
        found = self.data.get("candidates")
        return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []

    @property
    def is_declared(self) -> bool:
        return bool(self.candidates) and all(c.get("votes") is not None for c in self.candidates)


@dataclass
class Plan:
    """What an import will write, and what it has to say."""

    paths: Paths
    writes: dict[Path, str] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)     # one line per change made
    held: list[str] = field(default_factory=list)        # differences left for --apply, or hand edits kept
    warnings: list[ContentError] = field(default_factory=list)
    seats_written: int = 0
    seats_new: int = 0
    seats_unchanged: int = 0
    seats_differing: int = 0    # declared seats that differ from the file, left for --apply
    seats_skipped: int = 0      # seats left as they are (a candidate that cannot be paired, a hand edit)

    def say(self, path: Path, text: str) -> None:
        self.changes.append(f"{self.paths.display(path)}: {text}")

    def hold(self, path: Path, text: str, line: int = 0) -> None:
        where = self.paths.display(path) + (f":{line}" if line else "")
        self.held.append(f"{where}: {text}")


class ContentFolder:
    """The content folder as the import finds it: site, parties, seats, and the import record."""

    def __init__(self, paths: Paths):
        self.paths = paths
        self.folder = paths.content / "constituencies"
        errors: list[ContentError] = []
        self.site = self._yaml(paths.content / "site.yml", errors)
        parties_file = self._yaml(paths.content / "parties.yml", errors)
        self.parties_text = parties_file.text if parties_file else None
        self.parties: dict[str, Party] = {}
        if parties_file is not None and isinstance(parties_file.data, dict):
            from sitegen.content.checks import PARTIES
            problems: list = []
            checked = check(PARTIES, parties_file.data, problems)
            if checked is INVALID:
                errors.append(ContentError(parties_file.path, 0, 0, "has mistakes; run python3 build.py check and "
                                           "fix them before importing"))
            else:
                self.parties = dict(checked)
        self.seats: dict[str, ContentSeat] = {}
        for path in sorted(self.folder.glob("*.yml")) if self.folder.is_dir() else []:
            if path.name.startswith(".") or not SLUG_RE.match(path.stem):
                continue
            file = self._yaml(path, errors)
            if file is not None:
                self.seats[path.stem] = ContentSeat(path.stem, path, file.text,
                                                    file.data if isinstance(file.data, dict) else {})
        if errors:
            raise ContentErrors(errors)
        try:
            self.record: dict = json.loads((paths.content / RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.record = {}
        self.record.setdefault("candidates", {})

    def _yaml(self, path: Path, errors: list[ContentError]) -> Any:
        if not path.exists():
            return None
        found: list[ContentError] = []
        file = load_yaml(path, self.paths, found)
        errors.extend(e._replace(message=e.message + " (fix this before importing)") for e in found)
        return file

    def find(self, seat: SeatRecord) -> Optional[ContentSeat]:
        """Return the content's file for an official seat: by ONS code, else by name."""
        for content_seat in self.seats.values():
            if seat.code and content_seat.code == seat.code:
                return content_seat
        for content_seat in self.seats.values():
            if name_key(content_seat.name) == name_key(seat.name) and not (seat.code and content_seat.code):
                return content_seat
        return None

    def site_seats(self) -> list[tuple[Optional[str], str]]:
        return [(s.code, s.name) for s in self.seats.values()]


# --- parties -------------------------------------------------------------------------------------

class PartyBook:
    """The content's parties, and the ones this import adds."""

    def __init__(self, content: ContentFolder, plan: Plan):
        self.parties = dict(content.parties)
        self.added: dict[str, dict] = {}
        self.content, self.plan = content, plan

    def party_of(self, ref: PartyRef) -> str:
        """Return the content's id for a party, adding the party if the content has none yet."""
        found = resolve(ref, self.parties)
        if found is not None:
            return found
        pid, fields, known = new_party(ref, set(self.parties))
        self.parties[pid] = Party(fields["name"], fields["short"], fields["colour"], fields.get("collective_name"),
                                  fields.get("kind"), list(fields.get("ids") or []))
        self.added[pid] = fields
        path = self.plan.paths.content / "parties.yml"
        self.plan.say(path, f"+ {pid}: {fields['name']}")
        if not known:
            self.plan.warnings.append(ContentError(self.plan.paths.display(path), 0, 0, f"added {pid!r} ({fields['name']}) "
                                                   f"with a neutral colour; set its real colour and short name",
                                                   warning=True))
        return pid

    def text(self) -> Optional[str]:
        """Return parties.yml with the added parties, or None when nothing was added."""
        if not self.added:
            return None
        lines = [f"{pid}: {flow_mapping(fields)}" for pid, fields in self.added.items()]
        base = self.content.parties_text
        if base is None:
            base = (modeline("parties.yml") + "\n# The party registry: every party id used in constituencies/*.yml. "
                    "Field reference: docs/CONTENT.md\n")
        return base.rstrip("\n") + "\n" + "\n".join(lines) + "\n"


def description_of(ref: PartyRef) -> Optional[str]:
    """Return the ballot-paper description a joint candidacy carries ('Labour and Co-operative')."""
    if ref.adjunct in ("PP119", "Co-operative Party"):
        known = known_party(ref)
        return f"{known.name if known else ref.name} and Co-operative"
    return None


# --- seat files ----------------------------------------------------------------------------------

def _ballot_order(item: dict) -> tuple:
    name = str(item.get("name", ""))
    words = name.split()
    return (words[-1].casefold() if words else "", name.casefold())


def candidate_line(indent: str, fields: dict) -> list[str]:
    """Return one candidate's line: `- {name: ..., party: ..., person_id: ..., votes: ...}`."""
    order = ("name", "party", "description", "person_id", "votes")
    ordered = {k: fields[k] for k in order if fields.get(k) is not None}
    if str(ordered.get("person_id", "")).isdigit():  # a person id is digits: written as a number reads back
        ordered["person_id"] = int(ordered["person_id"])
    ordered.update({k: v for k, v in fields.items() if k not in order and v is not None})
    return [f"{indent}- {flow_mapping(ordered)}"]


def new_seat_text(name: str, code: Optional[str], source: str, candidates: list[dict],
                  extra: dict[str, Any], previous: Optional[dict], sources: list[dict]) -> str:
    """Return a whole new seat file."""
    lines = [modeline("constituencies/x.yml"), f"# {name}: {source}. Field reference: docs/CONTENT.md"]
    lines += block({"name": name, "ons_code": code, **extra})
    if previous is not None:
        lines.append("previous:")
        lines += block(previous, 2)
    lines.append("candidates:")
    for candidate in sorted(candidates, key=_ballot_order):
        lines += candidate_line("  ", candidate)
    lines.append("sources:")
    lines += [f"  - {flow_mapping(s)}" for s in sources]
    return "\n".join(lines) + "\n"


def _slug_for(name: str, taken: set[str]) -> str:
    slug = slugify(name) or "seat"
    base, n = slug, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- the candidate list --------------------------------------------------------------------------

def _list_candidate(entry: Entry, book: PartyBook) -> dict:
    return {"name": entry.name, "party": book.party_of(entry.party), "description": description_of(entry.party),
            "person_id": entry.person_id}


def merge_candidates(seat: ContentSeat, entries: list[Entry], book: PartyBook, record: dict, plan: Plan
                     ) -> Optional[str]:
    """Return an awaited seat's text with the list's candidates merged in (None when unchanged):
    additions, withdrawals and renames from the list, hand edits since the last import kept."""
    listed = [_list_candidate(e, book) for e in entries]
    current = seat.candidates
    pairs, new_entries, gone = pair_up(entries, current, book.parties, lambda c: str(c.get("name", "")),
                                       lambda c: str(c.get("party", "")),
                                       lambda c: None if c.get("person_id") is None else str(c["person_id"]))
    remembered: dict = record.setdefault(seat.slug, {})
    text = FileText(seat.text)
    spans = text.candidate_items() or []
    if len(spans) != len(current):
        plan.hold(seat.path, "candidates are not written one per '- ' line, so they were not merged; "
                  "edit them by hand")
        return None
    indent = text.item_indent()
    items: list[tuple[dict, list[str]]] = []
    changed = False
    for e, c in pairs.items():
        ours, theirs = dict(current[c]), listed[e]
        base = remembered.get(str(ours.get("person_id") or theirs["person_id"]), {})
        merged, notes = dict(ours), []
        for key in ("name", "party", "description", "person_id"):
            mine, new = ours.get(key), theirs.get(key)
            mine = None if mine is None else str(mine)
            if mine == new or new is None and key != "description":
                continue
            if mine is None and key == "person_id" or (base and base.get(key) == mine):
                merged[key] = new
                notes.append(f"{key} {mine!r} → {new!r}" if mine is not None else f"{key} {new!r}")
            else:
                plan.hold(seat.path, f"{ours.get('name')}: kept {key} {mine!r} (changed by hand; the list has {new!r})",
                          spans[c].first + 1)
        if notes:
            changed = True
            plan.say(seat.path, f"~ {ours.get('name')}: " + ", ".join(notes))
            items.append((merged, candidate_line(indent, merged)))
        else:
            items.append((ours, text.lines[spans[c].first:spans[c].last + 1]))
        if theirs["person_id"]:
            old_id = None if ours.get("person_id") is None else str(ours["person_id"])
            if old_id and old_id != merged.get("person_id"):
                remembered.pop(old_id, None)
            remembered[str(merged.get("person_id") or theirs["person_id"])] = {
                k: None if merged.get(k) is None else str(merged.get(k)) for k in ("name", "party", "description",
                                                                                     "person_id")}
    for e in new_entries:
        theirs = listed[e]
        if theirs["person_id"] and theirs["person_id"] in remembered:
            # an earlier import wrote this candidate, and the file no longer has them: removed by hand
            plan.hold(seat.path, f"{theirs['name']}: not added again (removed by hand after an earlier import)")
            continue
        changed = True
        plan.say(seat.path, f"+ {theirs['name']} ({book.parties[theirs['party']].name})")
        items.append((theirs, candidate_line(indent, theirs)))
        if theirs["person_id"]:
            remembered[theirs["person_id"]] = {k: theirs.get(k) for k in ("name", "party", "description", "person_id")}
    for c in gone:
        ours = current[c]
        pid = None if ours.get("person_id") is None else str(ours["person_id"])
        base = remembered.get(pid) if pid else None
        if base and all(base.get(k) == (None if ours.get(k) is None else str(ours.get(k)))
                        for k in ("name", "party", "description")):
            changed = True
            plan.say(seat.path, f"− {ours.get('name')} ({book.parties.get(str(ours.get('party')), Party('?', '?', '#000000')).name}): "
                     "no longer on the list (withdrawn)")
            remembered.pop(pid, None)
            continue
        why = "added by hand" if not base else "changed by hand since the last import"
        plan.hold(seat.path, f"{ours.get('name')}: kept, though not on the list ({why})", spans[c].first + 1)
        items.append((ours, text.lines[spans[c].first:spans[c].last + 1]))
    if not changed:
        return None
    items.sort(key=lambda item: _ballot_order(item[0]))
    text.set_candidates([lines for _, lines in items])
    return text.text()


# --- results -------------------------------------------------------------------------------------

def previous_from(notional: SeatRecord, book: PartyBook, shown: str) -> tuple[dict, list[ContentError]]:
    """Return the `previous` block from a seat's notional rows: votes by party (the Brexit Party's
    as Reform UK's), unnamed independents counted only in the total; and any problem."""
    votes: dict[str, int] = {}
    problems = []
    ranked = sorted(notional.entries, key=lambda e: (e.position or 99, -(e.votes or 0)))
    winner = None
    for entry in ranked:
        if entry.party.kind == "independent":
            if winner is None:
                problems.append(ContentError(shown, entry.line, 0, f"{notional.name}: the notional winner is an unnamed "
                                             "independent; type previous.winner and previous.independents by hand"))
                winner = "?"
            continue
        pid = book.party_of(entry.party)
        votes[pid] = votes.get(pid, 0) + (entry.votes or 0)
        winner = winner or pid
    previous = {"winner": winner, "votes": votes, "valid_votes": notional.valid}
    return previous, problems


def _official_candidate(entry: Entry, book: PartyBook) -> dict:
    return {"name": entry.name, "party": book.party_of(entry.party), "description": description_of(entry.party),
            "votes": entry.votes}


def result_changes(seat: ContentSeat, record: SeatRecord, book: PartyBook, plan: Plan, shown: str
                   ) -> tuple[Optional[FileText], list[tuple[str, Any, Any, int]]]:
    """Return the seat file with the official result written in, and each difference from what it
    held (field, here, official, line); (None, []) when a candidate cannot be paired."""
    current = seat.candidates
    pairs, extra, missing = pair_up(record.entries, current, book.parties, lambda c: str(c.get("name", "")),
                                    lambda c: str(c.get("party", "")),
                                    lambda c: None if c.get("person_id") is None else str(c["person_id"]))
    text = FileText(seat.text)
    spans = text.candidate_items() or []
    if extra or missing or len(spans) != len(current):
        for e in extra:
            entry = record.entries[e]
            plan.hold(seat.path, f"{entry.name} ({entry.party.name}, {entry.votes:,} votes, {shown}:{entry.line}) "
                      "is no candidate here; add them, then import again")
        for c in missing:
            plan.hold(seat.path, f"{current[c].get('name')} is not in the official result ({shown}); check the "
                      "candidates", spans[c].first + 1 if c < len(spans) else 0)
        return None, []
    diffs: list[tuple[str, Any, Any, int]] = []
    items = []
    indent = text.item_indent()
    for e, c in sorted(pairs.items(), key=lambda p: p[1]):
        entry, ours = record.entries[e], dict(current[c])
        merged = dict(ours)
        for key, value in (("name", entry.name), ("votes", entry.votes),
                           ("description", description_of(entry.party) or ours.get("description"))):
            if value is not None and ours.get(key) != value:
                diffs.append((f"candidates[{c}].{key}", ours.get(key), value, spans[c].first + 1))
                merged[key] = value
        items.append((merged, candidate_line(indent, merged) if merged != ours
                      else text.lines[spans[c].first:spans[c].last + 1]))
    if diffs:  # in the order the file has them
        text.set_candidates([lines for _, lines in items])
    for key, value in (("ons_code", record.code), ("electorate", record.electorate), ("valid_votes", record.valid),
                       ("rejected", record.invalid), ("elected", _elected(record)), ("result_source", "release")):
        if value is not None and seat.data.get(key) != value:
            span = text.fields.get(key)
            diffs.append((key, seat.data.get(key), value, span.first + 1 if span else 0))
            text.set_field(key, [f"{key}: {scalar(value, flow=False)}"])
    return text, diffs


def _set_previous(text: FileText, seat: ContentSeat, previous: dict, diffs: list) -> None:
    old = seat.data.get("previous") if isinstance(seat.data.get("previous"), dict) else None
    kept = {k: v for k, v in (old or {}).items() if k not in ("winner", "votes", "valid_votes")}
    new = {"winner": previous["winner"], "votes": previous["votes"], "valid_votes": previous["valid_votes"], **kept}
    if old is None or any(old.get(k) != new[k] for k in ("winner", "votes", "valid_votes")):
        span = text.fields.get("previous")
        for key in ("winner", "votes", "valid_votes"):
            if (old or {}).get(key) != new[key]:
                diffs.append((f"previous.{key}", (old or {}).get(key), new[key], span.first + 1 if span else 0))
        text.set_field("previous", ["previous:"] + block(new, 2), keep_comment=False)


def _set_hex(text: FileText, seat: ContentSeat, tile: Optional[tuple[int, int]], diffs: list) -> None:
    if tile is None:
        return
    new = {"q": tile[0], "r": tile[1]}
    if seat.data.get("hex") != new:
        span = text.fields.get("hex")
        diffs.append(("hex", seat.data.get("hex"), new, span.first + 1 if span else 0))
        text.set_field("hex", [f"hex: {flow_mapping(new)}"])


# --- the command ---------------------------------------------------------------------------------

def _read(path: Path, paths: Paths) -> OfficialData:
    return read_official(path, paths.display(path))


def plan_import(paths: Paths, options: ImportOptions) -> Plan:
    """Return what the import would write; raise ContentErrors when it cannot be done."""
    plan = Plan(paths)
    data = _read(options.file, paths)
    wanted = DC_CANDIDATES if options.kind == "candidates" else PARLIAMENT
    if data.layout != wanted or (options.kind == "results" and data.notional):
        what = "a notional results export" if data.notional else f"a {data.layout}"
        raise ContentErrors([ContentError(data.shown, 1, 0, f"is {what}; `import {options.kind}` reads a {wanted}"
                                          + (" of the election itself (give the notional one with --notional)"
                                             if options.kind == "results" else ""))])
    plan.warnings += data.warnings
    notional = _read(options.notional, paths) if options.notional else None
    if notional is not None:
        plan.warnings += notional.warnings
        if notional.layout != PARLIAMENT or not notional.notional:
            raise ContentErrors([ContentError(notional.shown, 1, 0, "is not a notional results export (the UK "
                                              "Parliament results website's, with 'General election is notional' true)")])
    hexes = read_hexjson(options.hexjson, paths.display(options.hexjson)) if options.hexjson else None
    content = ContentFolder(paths)
    if content.site is None and not options.area_name:
        raise ContentErrors([ContentError(paths.display(paths.content / "site.yml"), 0, 0, "does not exist yet: give "
                                          "--area NAME (and --area-type county, region, ...) so that the import can "
                                          "write it")])
    chosen = choose_seats(data, options.area, content.site_seats(), hexes)
    book = PartyBook(content, plan)
    notional_by = {seat_key(s.code, s.name): s for s in notional.seats} if notional else {}
    tiles = hexes.cropped([s.code for s in chosen if s.code]) if hexes else {}
    taken = set(content.seats)
    problems: list[ContentError] = []
    for seat in chosen:
        existing = content.find(seat)
        before = notional_by.get(seat_key(seat.code, seat.name)) or next(
            (n for n in (notional.seats if notional else []) if name_key(n.name) == name_key(seat.name)), None)
        if notional is not None and before is None:
            problems.append(ContentError(notional.shown, 0, 0, f"has no notional result for {seat.name}"))
            continue
        previous = None
        if before is not None:
            previous, found = previous_from(before, book, notional.shown)  # type: ignore[union-attr]
            problems += found
        if seat.cancelled:
            plan.hold(paths.content, f"{seat.name}: the poll was cancelled ({data.shown}:{seat.line}); not imported")
            continue
        if options.kind == "candidates":
            _import_list(plan, content, book, seat, existing, previous, tiles.get(seat.code or ""), taken, data)
        else:
            _import_result(plan, content, book, seat, existing, previous, tiles.get(seat.code or ""), taken, data,
                           options.apply)
    if problems:
        raise ContentErrors(problems)
    _write_site_files(plan, content, book, data, notional, options)
    return plan


def _import_list(plan: Plan, content: ContentFolder, book: PartyBook, seat: SeatRecord, existing: Optional[ContentSeat],
                 previous: Optional[dict], tile: Optional[tuple[int, int]], taken: set[str], data: OfficialData) -> None:
    record = content.record["candidates"]
    if existing is None:
        slug = _slug_for(seat.name, taken)
        taken.add(slug)
        path = content.folder / f"{slug}.yml"
        candidates = [_list_candidate(e, book) for e in seat.entries]
        extra = {"hex": {"q": tile[0], "r": tile[1]} if tile else None}
        plan.writes[path] = new_seat_text(seat.name, seat.code, "candidates from Democracy Club", candidates,
                                          extra, previous, [DC_SOURCE])
        record[slug] = {c["person_id"]: {k: c.get(k) for k in ("name", "party", "description", "person_id")}
                        for c in candidates if c["person_id"]}
        plan.say(path, f"new seat, {len(candidates)} candidates")
        plan.seats_new += 1
        plan.seats_written += 1
        return
    if existing.is_declared:
        plan.seats_unchanged += 1
        plan.hold(existing.path, "declared: the candidate list does not change a declared result")
        return
    text = merge_candidates(existing, seat.entries, book, record, plan)
    patched = FileText(text if text is not None else existing.text)
    diffs: list = []
    if seat.code and not existing.code:
        patched.set_field("ons_code", [f"ons_code: {seat.code}"])
        diffs.append(("ons_code", None, seat.code, 0))
    if previous is not None and existing.data.get("previous") is None:
        _set_previous(patched, existing, previous, diffs)
    if tile is not None and existing.data.get("hex") is None:
        _set_hex(patched, existing, tile, diffs)
    for key, _, new, _ in diffs:
        plan.say(existing.path, f"{key}: {new}" if not isinstance(new, dict) else f"{key} set")
    if text is None and not diffs:
        plan.seats_unchanged += 1
        return
    plan.writes[existing.path] = patched.text()
    plan.seats_written += 1


def _import_result(plan: Plan, content: ContentFolder, book: PartyBook, seat: SeatRecord, existing: Optional[ContentSeat],
                   previous: Optional[dict], tile: Optional[tuple[int, int]], taken: set[str], data: OfficialData,
                   apply: bool) -> None:
    if existing is None:
        if previous is None:
            raise ContentErrors([ContentError(data.shown, seat.line, 0, f"{seat.name} is a new seat here: give "
                                              "--notional FILE for its previous result")])
        slug = _slug_for(seat.name, taken)
        taken.add(slug)
        path = content.folder / f"{slug}.yml"
        candidates = [_official_candidate(e, book) for e in seat.entries]
        extra = {"electorate": seat.electorate, "valid_votes": seat.valid, "rejected": seat.invalid,
                 "elected": _elected(seat), "result_source": "release",
                 "hex": {"q": tile[0], "r": tile[1]} if tile else None}
        plan.writes[path] = new_seat_text(seat.name, seat.code, "the official result", candidates, extra, previous,
                                          [RESULTS_SOURCE])
        plan.say(path, f"new seat, declared: {_summary(seat)}")
        plan.seats_new += 1
        plan.seats_written += 1
        return
    text, diffs = result_changes(existing, seat, book, plan, data.shown)
    if text is None:
        plan.seats_skipped += 1
        return
    if previous is not None:
        _set_previous(text, existing, previous, diffs)
    _set_hex(text, existing, tile, diffs)
    if not diffs:
        plan.seats_unchanged += 1
        return
    if existing.is_declared and not apply:
        plan.seats_differing += 1
        for key, here, official, line in diffs:
            plan.hold(existing.path, f"{key}: {_shown(here)} here, {_shown(official)} in the official file "
                      "(not written: run with --apply to take the official figures)", line)
        return
    if existing.is_declared:  # a published result changes in the open: a correction entry says so
        _add_correction(text, existing, diffs, data.shown)
    what = "corrected from the official result" if existing.is_declared else f"declared: {_summary(seat)}"
    plan.say(existing.path, what)
    for key, here, official, _ in diffs:
        if here is None and (key.startswith("previous.") or key in ("hex", "ons_code")):
            continue  # filled in, not changed: said once below
        if key.endswith(".name") or key.startswith("previous") or key in ("hex", "ons_code") or existing.is_declared:
            plan.say(existing.path, f"  {key}: {_shown(here)} → {_shown(official)}")
    filled = sorted({key.split(".")[0] for key, here, _, _ in diffs
                     if here is None and (key.startswith("previous.") or key in ("hex", "ons_code"))})
    if filled:
        plan.say(existing.path, "  filled in: " + ", ".join(filled))
    plan.writes[existing.path] = text.text()
    plan.seats_written += 1


def _add_correction(text: FileText, seat: ContentSeat, diffs: list[tuple[str, Any, Any, int]], shown: str) -> None:
    """Add a correction entry for the figures of a declared result the official file changes: each
    as it was, made now (when the newsroom takes the revision), naming the file."""
    from zoneinfo import ZoneInfo
    was: dict[str, int] = {}
    for field_name, here, _, _ in diffs:
        found = re.fullmatch(r"candidates\[(\d+)\]\.votes", field_name)
        if found and isinstance(here, int):
            was[str(seat.candidates[int(found.group(1))].get("name"))] = here
        elif field_name in ("valid_votes", "rejected", "electorate") and isinstance(here, int):
            was[field_name] = here
    if not was:
        return
    old = seat.data.get("corrections") if isinstance(seat.data.get("corrections"), list) else []
    at = datetime.now(ZoneInfo("Europe/London")).replace(second=0, microsecond=0)
    figures = "{" + ", ".join(f"{key(name)}: {value}" for name, value in was.items()) + "}"
    why = f"Revised to the official results release ({Path(shown).name})"
    lines = ["corrections:"] + [f"  - {flow_mapping(entry)}" for entry in old if isinstance(entry, dict)]
    lines.append(f"  - {{at: {at.isoformat()}, was: {figures}, why: {scalar(why)}}}")
    text.set_field("corrections", lines, keep_comment=False)


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, int):
        return f"{value:,}"
    return repr(value) if isinstance(value, str) else str(value)


def _elected(seat: SeatRecord) -> Optional[str]:
    """Return the name of the candidate an official result has first (whom it declares elected)."""
    top = sorted(seat.entries, key=lambda e: -(e.votes or 0))
    return top[0].name if top and top[0].votes is not None else None


def _summary(seat: SeatRecord) -> str:
    return f"{_elected(seat)} elected" + (f" ({seat.result})" if seat.result else "") if seat.entries else "no candidates"


def _write_site_files(plan: Plan, content: ContentFolder, book: PartyBook, data: OfficialData,
                      notional: Optional[OfficialData], options: ImportOptions) -> None:
    parties = book.text()
    if parties is not None:
        plan.writes[plan.paths.content / "parties.yml"] = parties
    if content.site is None:
        assert options.area_name is not None  # refused in plan_import
        day = data.polling_day or (notional.polling_day if notional else None) or date.today()
        before = f"{notional.polling_day.year} (notional)" if notional and notional.polling_day else "the last election"
        site = {"title": f"{options.area_name} results {day.year}", "election": f"UK general election {day.year}",
                "polling_day": day, "area": options.area_name, "area_type": options.area_type,
                "base_url": f"https://example.org/{slugify(options.area_name) or 'results'}/",
                "previous_election": before}
        lines = [modeline("site.yml"), "# Site-wide facts. Field reference: docs/CONTENT.md"]
        lines += [line + ("   # where the site will be published: change it" if line.startswith("base_url") else "")
                  for line in block(site)]
        plan.writes[plan.paths.content / "site.yml"] = "\n".join(lines) + "\n"
        plan.say(plan.paths.content / "site.yml", f"new: {site['title']}")
    if options.kind == "candidates":
        plan.writes[plan.paths.content / RECORD] = json.dumps(content.record, indent=1, sort_keys=True,
                                                              ensure_ascii=False) + "\n"


def write_plan(plan: Plan) -> None:
    """Write every file of the plan, each whole: all are written beside their targets first, then
    renamed into place, so a full disk stops the import before any file is replaced."""
    staged = []
    try:
        for path, text in plan.writes.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.import")
            temporary.write_text(text, encoding="utf-8")
            staged.append((temporary, path))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, path in staged:
        os.replace(temporary, path)


def carry_out(make_plan: Callable[[], Plan], out: TextIO, err: TextIO) -> Optional[Plan]:
    """Work out an import's plan, say what it changes (and what it holds back, and its warnings),
    and write it; return the plan written, or None after saying why nothing was."""
    from sitegen.files import describe_os_error
    try:
        plan = make_plan()
    except ContentErrors as exc:
        for error in exc.errors:
            print(error.format(), file=err)
        print(f"{exc.summary()[:-len('nothing written.')]}nothing imported.", file=err)
        return None
    for line in plan.changes:
        print(line, file=out)
    for line in plan.held:
        print(line, file=err)
    for warning in plan.warnings:
        print(warning.format(), file=err)
    try:
        write_plan(plan)
    except OSError as exc:
        print(f"python3 build.py: error: could not write the import ({describe_os_error(exc)}); "
              "no file was replaced", file=err)
        return None
    return plan


def run_import(paths: Paths, options: ImportOptions, out: TextIO, err: TextIO) -> int:
    """Import and report; return the exit code."""
    plan = carry_out(lambda: plan_import(paths, options), out, err)
    if plan is None:
        return 1
    seats = plan.seats_written + plan.seats_unchanged + plan.seats_differing + plan.seats_skipped
    parts = [f"{plan.seats_written} written ({plan.seats_new} new)", f"{plan.seats_unchanged} unchanged"]
    if plan.seats_differing:
        parts.append(f"{plan.seats_differing} declared {'seat differs' if plan.seats_differing == 1 else 'seats differ'} "
                     "from the file (listed above; --apply takes the official figures)")
    if plan.seats_skipped:
        parts.append(f"{plan.seats_skipped} not imported (above)")
    print(f"Imported {options.kind} for {seats} seat{'s' if seats != 1 else ''} from "
          f"{paths.display(options.file)}: {', '.join(parts)}.", file=out)
    _check_after(paths, out)
    return 1 if plan.seats_differing or plan.seats_skipped else 0


def _check_after(paths: Paths, out: TextIO) -> None:
    """Say whether the content builds now, and what it lacks if not (an import of candidates alone
    leaves each seat without its previous result, say)."""
    from sitegen.engine import gather
    try:
        gather(paths)
    except ContentErrors as exc:
        print(f"The site does not build yet ({len(exc.errors)} problem{'s' if len(exc.errors) != 1 else ''}; "
              "python3 build.py check lists them): " + exc.errors[0].format(), file=out)
        return
    print("The site builds: python3 build.py serve to preview it.", file=out)
