"""Raw content -> Content, collecting every ContentError before raising them together."""
from __future__ import annotations

import difflib
import re
import typing
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Optional

from sitegen.config import RESERVED_SLUGS, SLUG_RE, ordinal
from sitegen.errors import ContentError, ContentErrors
from sitegen.content.places import Places, RawPlaces, check_places
from sitegen.content.read import AWAITED_SUFFIX, Loc, RawContent, YamlFile
from sitegen.buildcache import Memo
from sitegen.content.model import Constituency, ConstituencyFacts, Content, NewPartyId, Party, SeatBlurbs, SiteInfo
from sitegen.content.fields import INVALID, Missing, NoMatch, Problem, UnknownField, check, describe

PARTIES = dict[NewPartyId, Party]  # parties.yml: the party registry, keyed by party id


def validate(raw: RawContent, memo: Optional[Memo] = None,
             stand_ins: Optional[dict[str, Constituency]] = None,
             held: Optional[list[ContentError]] = None) -> Content:
    """Return the validated content, or raise ContentErrors listing every problem found.

    With `memo` (the preview's), a file that comes back as the same parsed object (the loader's
    cache returns the same object while the bytes are unchanged), checked against the same
    parties.yml, is not checked again.

    With `held` (the preview's way), problems confined to constituency files do not stop it: they
    are added to `held`, and each seat with one is replaced by its stand-in (the seat as it last
    built, from `stand_ins`), or left out when it has none, so one unfinished seat hides nothing else.
    """
    memo = memo if memo is not None else Memo()
    errors = list(raw.errors)
    found, info = memo.get("site.yml", (raw.site,), lambda: _checked(raw.site, lambda f, e: _check_file(f, SiteInfo, e)))
    errors += found
    found, parties = memo.get("parties.yml", (raw.parties,), lambda: _checked(raw.parties, _check_parties))
    errors += found
    seats = []
    for slug, file in sorted(raw.constituencies.items()):
        found, seat = memo.get(("checked", slug), (file, raw.parties),
                               lambda slug=slug, file=file: _check_constituency_file(slug, file, parties))
        errors.extend(found)
        if seat is not None:
            seats.append(seat)
    errors.extend(_check_blurbs(raw) + _check_seats_together(raw, seats) + _check_times(raw, info, seats))
    # every seat file's code, a file with a mistake included: its seat's places wait for it (the
    # preview holds the file's mistake; find/ leaves out a seat that is not in the site)
    codes = {file.data["ons_code"]: slug for slug, file in raw.constituencies.items()
             if isinstance(file.data, dict) and isinstance(file.data.get("ons_code"), str)}
    found, places = memo.get("places", (raw.places, tuple(sorted(codes.items()))),
                             lambda: _checked_places(raw.places, codes))
    errors += found
    if errors and held is not None and all(_in_a_seat_file(e, raw) for e in errors):
        # a seat with a mistake stands as it last built; one whose facts file is gone (deleted, or
        # renamed with its blurb not yet) is gone
        broken = {_seat_of(e.path) for e in errors}
        seats = [seat for seat in seats if seat.slug not in broken]
        seats += [stand_ins[slug] for slug in sorted(broken)
                  if stand_ins and slug in stand_ins and slug in raw.facts_files]
        held.extend(sorted(errors))
        errors = _check_seats_together(raw, seats)
    if errors:
        raise ContentErrors(errors)
    assert info is not None and parties is not None
    seats.sort(key=lambda c: (c.facts.name, c.slug))
    blurbs = {seat.slug: SeatBlurbs(*(f.text if f else None for f in (raw.blurbs.get(seat.slug),
                                                                       raw.awaited_blurbs.get(seat.slug))))
              for seat in seats}
    return Content(info, parties, tuple(seats), raw.overview.text if raw.overview else None, blurbs, places)


def _checked_places(raw: RawPlaces, codes: dict[str, str]) -> tuple[list[ContentError], Optional[Places]]:
    found: list[ContentError] = []
    return found, check_places(raw, codes, found)


def _checked(file: Optional[YamlFile], check_file: Any) -> tuple[list[ContentError], Any]:
    """Return the errors and the value of checking one file (nothing for a file not read)."""
    found: list[ContentError] = []
    return found, (check_file(file, found) if file is not None else None)


def _seat_of(path: str) -> str:
    """Return the slug a constituency file's path names: '.../constituencies/erewash.yml' (or
    erewash.md, erewash.awaited.md) -> 'erewash'."""
    slug = path.rsplit("/", 1)[-1].rpartition(".")[0]
    return slug[:-len(AWAITED_SUFFIX)] if slug.endswith(AWAITED_SUFFIX) else slug


def _in_a_seat_file(error: ContentError, raw: RawContent) -> bool:
    """Return True when `error` is about one constituency's own facts or blurb."""
    return "/constituencies/" in f"/{error.path}" and _seat_of(error.path) in (
        raw.facts_files | set(raw.blurbs) | set(raw.awaited_blurbs))


def _check_constituency_file(slug: str, file: YamlFile, parties: Optional[dict[str, Party]]
                             ) -> tuple[list[ContentError], Optional[Constituency]]:
    """Return one constituency file's errors, and the Constituency when its schema checks pass."""
    found: list[ContentError] = []
    facts = _check_file(file, ConstituencyFacts, found, parties)
    if parties is not None:
        found.extend(check_party_references(file, parties))
    if facts is None:
        return found, None
    found.extend(check_constituency(facts, file, parties))
    return found, Constituency(slug, facts, file.path)


def _check_file(file: YamlFile, model: Any, errors: list[ContentError],
                parties: Optional[dict[str, Party]] = None) -> Any:
    if not isinstance(file.data, dict):
        errors.append(_not_a_mapping(file))
        return None
    problems: list[Problem] = []
    value = check(model, file.data, problems)
    if value is INVALID:
        errors.extend(schema_errors(problems, file, parties))
        return None
    return value


def _check_parties(file: YamlFile, errors: list[ContentError]) -> dict[str, Party] | None:
    if not file.data:
        errors.append(_not_a_mapping(file))
        return None
    return _check_file(file, PARTIES, errors)


def _not_a_mapping(file: YamlFile) -> ContentError:
    got = "an empty file" if file.data is None else describe(file.data)
    return ContentError(file.path, 1, 1, f"expected a block of 'field: value' lines, got {got}")


def schema_errors(problems: list[Problem], file: YamlFile,
                  parties: Optional[dict[str, Party]] = None) -> list[ContentError]:
    """Return one ContentError per problem the check found, located through the file's marks, with
    what the file itself suggests: a misspelt field for a missing one, a comment for an empty value,
    a party's name for its id."""
    unknown: dict[Loc, list[str]] = {}
    for problem in problems:
        if isinstance(problem, UnknownField):
            unknown.setdefault(problem.loc[:-1], []).append(str(problem.loc[-1]))
    lines = file.text.splitlines()
    result = []
    for problem in problems:
        loc = problem.loc
        at_key = bool(loc) and loc[-1] == "[key]"
        if at_key:
            loc = loc[:-1]
        line, col = file.marks.find(loc, key=at_key or isinstance(problem, UnknownField))
        message = problem.message()
        if isinstance(problem, Missing):
            typo = difflib.get_close_matches(str(loc[-1]), unknown.get(loc[:-1], []), n=1, cutoff=0.6)
            if typo:  # reported where the misspelt name is, not at the top of its block
                line, col = file.marks.find(loc[:-1] + (typo[0],), key=True)
                message += f" (is {typo[0]!r} here meant to be {loc[-1]!r}?)"
        elif problem.value is None and 0 < line <= len(lines) and re.search(r":\s+#[^\s#]", lines[line - 1]):
            message = ("is empty: YAML reads everything from ' #' on as a comment; put a value that "
                       'starts with # in quotes, like "#E4003B"')
        elif isinstance(problem, NoMatch) and parties and "party id" in problem.expects:
            named = _party_named(problem.value, parties)
            message += f" (did you mean {named!r}, the id of {parties[named].name}?)" if named else ""
        result.append(ContentError(file.path, line, col, f"{format_loc(loc)}: {message}"))
    return result


def _party_named(value: Any, parties: dict[str, Party]) -> Optional[str]:
    """Return the id of the party whose name, short name or collective name is `value`, if any."""
    wanted = str(value).casefold()
    return next((pid for pid, party in parties.items()
                 if wanted in {party.name.casefold(), party.short.casefold(), party.called.casefold()}), None)


def format_loc(loc: Loc) -> str:
    """Return a path like `candidates[2].party` for messages."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def _unknown(kind: str, value: str, known: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.5)
    hint = f" (did you mean {close[0]!r}?)" if close else " (add it to parties.yml)"
    return f"unknown {kind} {value!r}{hint}"


def _adder(file: YamlFile, errors: list[ContentError]) -> Any:
    """Return add(loc, message, key=False, prefix=None), which records an error at loc's line and
    column, introduced by `prefix` (default: the path of loc, like candidates[2].party)."""
    def add(loc: Loc, message: str, *, key: bool = False, prefix: Optional[str] = None) -> None:
        line, col = file.marks.find(loc, key=key)
        errors.append(ContentError(file.path, line, col, f"{prefix or format_loc(loc)}: {message}"))
    return add


def _is_unknown_id(value: Any, parties: dict[str, Party]) -> bool:
    # Ids that are not even well-formed get the schema's message instead.
    return isinstance(value, str) and bool(SLUG_RE.match(value)) and value not in parties


def check_party_references(file: YamlFile, parties: dict[str, Party]) -> list[ContentError]:
    """Return an error for each party id in the raw file that parties.yml lacks.

    Works on the raw data so it reports even when the schema rejected something else in the file.
    """
    errors: list[ContentError] = []
    add = _adder(file, errors)
    data = file.data if isinstance(file.data, dict) else {}
    candidates = data.get("candidates") if isinstance(data.get("candidates"), list) else []
    for i, cand in enumerate(candidates):
        party = cand.get("party") if isinstance(cand, dict) else None
        if _is_unknown_id(party, parties):
            add(("candidates", i, "party"), _unknown("party", party, parties))
    previous = data.get("previous") if isinstance(data.get("previous"), dict) else {}
    winner = previous.get("winner")
    if _is_unknown_id(winner, parties):
        add(("previous", "winner"), _unknown("party", winner, parties))
    votes = previous.get("votes") if isinstance(previous.get("votes"), dict) else {}
    for pid in votes:
        if _is_unknown_id(pid, parties):
            add(("previous", "votes", pid), _unknown("party", pid, parties), key=True)
    return errors


def check_constituency(facts: ConstituencyFacts, file: YamlFile,
                       parties: Optional[dict[str, Party]] = None) -> list[ContentError]:
    """Return the errors in one constituency's facts that the schema alone cannot see."""
    errors: list[ContentError] = []
    add = _adder(file, errors)
    _check_candidates(facts, add)
    _check_state(facts, add)
    _check_declaration(facts, add)
    _check_previous(facts, add, parties or {})
    return errors


def _check_state(facts: ConstituencyFacts, add: Any) -> None:
    """Refuse a state that contradicts the figures: votes for a seat said to be awaited or in a
    recount, a declaration time or recount note where they cannot apply."""
    has_votes = any(c.votes is not None for c in facts.candidates)
    if has_votes and facts.status == "awaited":
        add(("status",), "'awaited' while candidates have votes; remove the votes until the result is "
            "declared, or remove status")
    elif has_votes and facts.status == "recount":
        note = " and recount_note" if facts.recount_note is not None else ""
        add(("status",), f"'recount' while candidates have votes: once the recount is declared, remove "
            f"status{note} (the votes are the declared result); while it is under way, remove the votes "
            "and valid_votes")
    elif not has_votes and facts.status == "declared":
        add(("status",), "'declared' while no candidate has votes; give every candidate votes and add "
            "valid_votes")
    if facts.declared_at is not None and not has_votes:
        add(("declared_at",), "given while the result is not declared; remove it, or add every "
            "candidate's votes")
    if facts.recount_note is not None and facts.status != "recount" and not has_votes:
        add(("recount_note",), "given while status is not recount; remove it, or add 'status: recount'")
    if facts.recount_note is not None and facts.status is None and has_votes:
        add(("recount_note",), "given while the result is declared; remove it (the recount is over)")
    if facts.declared_at_approx is not None and facts.declared_at is None:
        add(("declared_at_approx",), "given without declared_at; add the time it qualifies, or remove it")


# The figures of a declared result that a correction can name, besides each candidate's votes.
CORRECTABLE = ("valid_votes", "rejected", "electorate")


def result_figures(candidates: list[tuple[str, str, int]], fields: dict[str, int]) -> dict[str, int]:
    """Return a declared result's figures by the name a correction gives them: each candidate's
    name (their votes; two who share a name are told apart by party, 'Greg Smith (green)'), and
    valid_votes, rejected and electorate where given (`fields`)."""
    names = [name for name, _, _ in candidates]
    figures = {name if names.count(name) == 1 else f"{name} ({party})": votes for name, party, votes in candidates}
    return {**figures, **{k: fields[k] for k in CORRECTABLE if fields.get(k) is not None}}


def figures_of(facts: ConstituencyFacts) -> dict[str, int]:
    """Return the figures of a declared result (result_figures) from its checked facts."""
    return result_figures([(c.name, c.party, c.votes or 0) for c in facts.candidates],
                          {k: getattr(facts, k) for k in CORRECTABLE})


def _check_declaration(facts: ConstituencyFacts, add: Any) -> None:
    """Check what a declared result records besides its votes: who was elected (the votes must make
    them the winner), where the figures came from, and its corrections."""
    declared = bool(facts.candidates) and all(c.votes is not None for c in facts.candidates)
    if not declared:
        if any(c.votes is not None for c in facts.candidates):
            return  # half-typed votes: that message comes first
        for name in ("elected", "result_source", "provisional", "corrections", "recorded_at"):
            if getattr(facts, name) not in (None, []):
                add((name,), "given while the result is not declared; remove it, or add every candidate's votes")
        return
    if facts.valid_votes != sum(c.votes or 0 for c in facts.candidates):
        return  # the figures do not add up (a file cut off, say): that message is the one to act on
    if facts.elected is None:
        add(("candidates",), "a declared result needs 'elected:', the candidate the returning officer "
            "declared elected, by name as on the declaration", key=True)
    else:
        _check_elected(facts, facts.elected, add)
    if facts.result_source is None:
        add(("candidates",), "a declared result needs 'result_source:', where its figures were taken "
            "from: count, notice or release", key=True)
    figures = figures_of(facts)
    last = None
    for i, correction in enumerate(facts.corrections):
        if last is not None and correction.at < last:
            add(("corrections", i, "at"), "comes before the correction above it; list corrections oldest first")
        last = correction.at
        if facts.declared_at is not None and correction.at < facts.declared_at:
            add(("corrections", i, "at"), "comes before the result was declared (declared_at); check the date")
        for name, was in correction.was.items():
            if name not in figures:
                known = ", ".join(k for k in figures if k not in CORRECTABLE)
                add(("corrections", i, "was", name), f"{name!r} is not a figure of this result: name a "
                    f"candidate ({known}), valid_votes, rejected or electorate", key=True)
            elif i == len(facts.corrections) - 1 and figures[name] == was:
                add(("corrections", i, "was", name), f"{was:,} is the figure the file gives now; 'was' "
                    "holds the figure as it was published")


def _check_elected(facts: ConstituencyFacts, elected: str, add: Any) -> None:
    named = [c for c in facts.candidates if c.name == elected]
    if not named:
        names = ", ".join(c.name for c in facts.candidates)
        add(("elected",), f"{elected!r} is not one of the candidates ({names}); write the name as in "
            "candidates")
        return
    top = max(c.votes or 0 for c in facts.candidates)
    first = [c for c in facts.candidates if c.votes == top]
    winner = next((c for c in first if c.name == facts.winner_by_lot), first[0]) if len(first) > 1 else first[0]
    if winner.name == elected:
        return
    theirs = max(named, key=lambda c: c.votes or 0)
    add(("elected",), f"{elected!r} was declared elected, but the votes put {winner.name} first "
        f"({winner.name} {winner.votes:,}, {elected} {theirs.votes:,}); check each candidate's votes "
        "against the declaration: are two lines swapped?")


def _check_candidates(facts: ConstituencyFacts, add: Any) -> None:
    # Two candidates may share a name (Mid Buckinghamshire 2024: Greg Smith, Conservative, and Greg
    # Smith, Green): a line is a duplicate only when its name, party and person id all repeat one.
    seen: dict[tuple, int] = {}
    ids: dict[str, int] = {}
    for i, cand in enumerate(facts.candidates):
        key = (cand.name.casefold(), cand.party, cand.person_id)
        if key in seen:
            add(("candidates", i, "name"), f"{cand.name!r} ({cand.party}) is listed twice, as "
                f"candidates[{seen[key]}] too; remove one (if two candidates really share a name and a "
                "party, give each their person_id)")
        seen.setdefault(key, i)
        if cand.person_id is not None and cand.person_id in ids:
            add(("candidates", i, "person_id"), f"{cand.person_id!r} is also the person id of "
                f"candidates[{ids[cand.person_id]}]; each candidate has their own")
        if cand.person_id is not None:
            ids.setdefault(cand.person_id, i)
    with_votes = [c.votes is not None for c in facts.candidates]
    if any(with_votes) and not all(with_votes):
        missing = [i for i, has in enumerate(with_votes) if not has]
        names = [f"{facts.candidates[i].name} ({ordinal(i + 1)})" for i in missing]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        add(("candidates", missing[0]), f"{listed} {'has' if len(names) == 1 else 'have'} no votes while the "
            "others do; give every candidate votes (declared) or none (awaited)", prefix="candidates")
        return
    if not all(with_votes):
        if facts.valid_votes is not None:
            add(("valid_votes",), "given while no candidate has votes; add every candidate's votes, "
                "or remove valid_votes until the result is declared")
        return
    if len(facts.candidates) < 2:
        add(("candidates",), "a declared result needs at least two candidates")
    if facts.electorate is None:
        add(("candidates",), "a declared result needs 'electorate:', the electorate at this poll "
            "(turnout is worked out from it)", key=True)
    valid = sum(c.votes or 0 for c in facts.candidates)
    if not _check_declared_total(facts, valid, add):
        return
    counted = valid + (facts.rejected or 0)
    if facts.electorate is not None and counted > facts.electorate:
        add(("electorate",), f"valid votes {valid:,} plus rejected {facts.rejected or 0:,} make "
            f"{counted:,}, more than the electorate of {facts.electorate:,}; check the figures")
    _check_tie(facts, add)


def _check_declared_total(facts: ConstituencyFacts, valid: int, add: Any) -> bool:
    """Check the candidates' votes against the declared total of valid votes (CONTENT.md v2: a
    checksum that catches a cut-off file or a mistyped figure); return True when they agree."""
    declared = facts.valid_votes
    if declared is None:
        add(("candidates",), "a declared result needs 'valid_votes:', the total of valid votes as "
            "the returning officer announced it", key=True)
        return False
    if valid == declared:
        return True
    gap = declared - valid
    why = f"{gap:,} short: is a candidate missing?" if gap > 0 else f"{-gap:,} over: is a figure mistyped?"
    add(("candidates",), f"votes add up to {valid:,} but valid_votes is {declared:,} ({why})", key=True)
    return False


def _check_tie(facts: ConstituencyFacts, add: Any) -> None:
    top = max(c.votes or 0 for c in facts.candidates)
    tied = [c.name for c in facts.candidates if c.votes == top]
    lot = facts.winner_by_lot
    if len(tied) > 1 and lot not in tied:
        if lot is None:
            add(("candidates",), f"tie for first place between {' and '.join(tied)} on {top:,} votes; "
                "add 'winner_by_lot: <name>' with the candidate the returning officer's lot chose")
        else:
            add(("winner_by_lot",), f"{lot!r} is not one of the tied candidates "
                f"({', '.join(tied)})")
    elif lot is not None and len(tied) == 1:
        add(("winner_by_lot",), "there is no tie for first place; remove winner_by_lot")


def _check_previous(facts: ConstituencyFacts, add: Any, parties: dict[str, Party]) -> None:
    previous = facts.previous
    for pid in previous.votes:
        if pid in parties and parties[pid].is_independent:
            add(("previous", "votes", pid), f"independents are people, not a party: put a named "
                "independent's votes under previous.independents as {Name: votes}, so that a change "
                "is shown only for the same person (an unnamed one's votes count in "
                "previous.valid_votes only)", key=True, prefix=f"previous.votes.{pid}")
    named = sum(previous.votes.values()) + sum(previous.independents.values())
    if named > previous.valid_votes:
        add(("previous", "votes"), f"named parties' votes add up to {named:,}, more than "
            f"previous.valid_votes of {previous.valid_votes:,}; check the figures")
    best_party = max(previous.votes.values(), default=0)
    best_person = max(previous.independents.values(), default=0)
    winner = parties.get(previous.winner)
    if winner is not None and winner.is_independent:
        if best_person < best_party or not previous.independents:
            add(("previous", "winner"), f"{previous.winner!r} (an independent) does not have the most "
                "notional votes; list the independent who won under previous.independents, or name "
                "the winning party")
        return
    if previous.votes or previous.independents:
        leaders = [pid for pid, votes in previous.votes.items() if votes == best_party]
        if previous.winner not in leaders or best_person > best_party:
            top = max(previous.independents, key=previous.independents.get) if best_person > best_party \
                else leaders[0]
            add(("previous", "winner"), f"{previous.winner!r} does not have the most notional votes; "
                f"{top!r} has {max(best_party, best_person):,}")


def _check_blurbs(raw: RawContent) -> list[ContentError]:
    """Return an error for each blurb without its seat's facts file."""
    errors = []
    for slug, blurb in sorted(raw.awaited_blurbs.items()):
        if slug not in raw.facts_files:
            close = difflib.get_close_matches(slug, list(raw.constituencies), n=1)
            hint = f" (did you mean {close[0] + '.awaited.md'!r}?)" if close else ""
            errors.append(ContentError(blurb.path, 1, 0, f"blurb for an awaited result has no matching {slug}.yml{hint}"))
    for slug, blurb in sorted(raw.blurbs.items()):
        if slug not in raw.facts_files:
            close = difflib.get_close_matches(slug, list(raw.constituencies), n=1)
            if close and close[0] not in raw.blurbs:  # that facts file has no blurb: which one is right?
                hint = (f" ({close[0]}.yml has no blurb: if one of the two was renamed, give both the "
                        "same name)")
            else:
                hint = f" (did you mean {close[0] + '.md'!r}?)" if close else ""
            errors.append(ContentError(blurb.path, 1, 0, f"blurb has no matching {slug}.yml{hint}"))
    return errors


def _check_seats_together(raw: RawContent, seats: list[Constituency]) -> list[ContentError]:
    """Return the errors between seats: two with one name, an old address taken twice, two seats on
    one tile."""
    errors = []

    def where(seat: Constituency, loc: tuple) -> tuple[int, int]:
        file = raw.constituencies.get(seat.slug)  # (a seat standing as it last built has no file now)
        return file.marks.find(loc) if file is not None else (0, 0)
    names: dict[str, Constituency] = {}
    for seat in seats:
        key = seat.facts.name.casefold()
        if key in names:
            line, col = where(seat, ("name",))
            errors.append(ContentError(seat.path, line, col, f"name: {seat.facts.name!r} is also the "
                                       f"name of {names[key].path}"))
        names.setdefault(key, seat)
    current = {seat.slug: seat for seat in seats}
    moved: dict[str, Constituency] = {}
    for seat in seats:
        for i, old in enumerate(seat.facts.old_slugs):
            line, col = where(seat, ("old_slugs", i))
            if old in RESERVED_SLUGS:
                errors.append(ContentError(seat.path, line, col, f"old_slugs[{i}]: {old!r} is taken: the site puts "
                                           f"{RESERVED_SLUGS[old]} at {old}/; remove it from this list"))
            elif old in current:
                errors.append(ContentError(seat.path, line, col, f"old_slugs[{i}]: {old!r} is the address of "
                                           f"{current[old].facts.name} now; remove it from this list"))
            elif old in moved:
                errors.append(ContentError(seat.path, line, col, f"old_slugs[{i}]: {old!r} is also an old "
                                           f"address of {moved[old].facts.name}; it can lead to only one page"))
            moved.setdefault(old, seat)
    tiles: dict[tuple[int, int], Constituency] = {}
    for seat in seats:
        hex_ = seat.facts.hex
        if hex_ is not None and (hex_.q, hex_.r) in tiles:
            line, col = where(seat, ("hex",))
            errors.append(ContentError(seat.path, line, col, f"hex: q {hex_.q}, r {hex_.r} is already "
                                       f"{tiles[(hex_.q, hex_.r)].facts.name}'s tile; pick a free one"))
        elif hex_ is not None:
            tiles[(hex_.q, hex_.r)] = seat
    return errors


# --- times: a declaration comes after the polls close, within days ---------------------------------
POLLS_CLOSE_HOUR = 22      # UK polls close at 22:00 local time
LATE_DAYS_WARNING = 3      # a count ends within a day or two; later than this is worth a look
LATE_DAYS_ERROR = 30       # later than this is a mistyped month or year (a postponed poll is weeks)


def uk_offset(day: date) -> timedelta:
    """Return the UK's UTC offset on `day`: +01:00 from the last Sunday of March to the day before
    the last Sunday of October (British Summer Time), else +00:00. Polling days are Thursdays, never
    a changeover day, so the day alone decides."""
    def last_sunday(month: int) -> date:
        last = date(day.year, month, 31)
        return last - timedelta(days=(last.weekday() + 1) % 7)
    return timedelta(hours=1 if last_sunday(3) <= day < last_sunday(10) else 0)


def declared_time_problem(at: datetime, polling_day: date) -> Optional[tuple[str, bool]]:
    """Return what is wrong with a declaration time given polling day, and whether it is an error
    (else a warning), or None. Works on the date as written, so a far-off year cannot overflow."""
    days = (at.date() - polling_day).days
    closed = datetime(polling_day.year, polling_day.month, polling_day.day, POLLS_CLOSE_HOUR,
                      tzinfo=timezone(uk_offset(polling_day)))
    if days < 0 or (days == 0 and at < closed):
        return (f"{at.isoformat()} is before the polls closed ({polling_day.isoformat()} at "
                f"{POLLS_CLOSE_HOUR}:00, polling_day in site.yml); check the date, the time and the UTC offset", True)
    if days > LATE_DAYS_ERROR:
        return (f"{at.isoformat()} is {days:,} days after polling day ({polling_day.isoformat()}, in "
                "site.yml); a count ends within days of the poll: check the year and the month", True)
    if days > LATE_DAYS_WARNING:
        return (f"{at.isoformat()} is {days} days after polling day ({polling_day.isoformat()}); check the "
                "date", False)
    return None


def _time_problems(raw: RawContent, info: Optional[SiteInfo], seats: list[Constituency],
                   errors: bool) -> list[ContentError]:
    found = []
    if info is None:
        return found
    for seat in seats:
        at = seat.facts.declared_at
        problem = declared_time_problem(at, info.polling_day) if at is not None else None
        if problem is not None and problem[1] == errors:
            file = raw.constituencies.get(seat.slug)
            line, col = file.marks.find(("declared_at",)) if file is not None else (0, 0)
            found.append(ContentError(seat.path, line, col, f"declared_at: {problem[0]}", warning=not errors))
    return found


def _check_times(raw: RawContent, info: Optional[SiteInfo], seats: list[Constituency]) -> list[ContentError]:
    """Return an error for each declaration time that cannot be right given polling day."""
    return _time_problems(raw, info, seats, errors=True)


def collect_warnings(content: Content, raw: Optional[RawContent] = None) -> list[ContentError]:
    """Return things worth a look that do not stop the build: awaited results, missing blurbs, a
    declaration some days after polling day."""
    warnings = _time_problems(raw or RawContent(), content.info, list(content.constituencies), errors=False)
    has_map = any(s.facts.hex for s in content.constituencies)
    awaited = [seat for seat in content.constituencies if not seat.is_declared()]
    if len(awaited) == 1:
        warnings.append(ContentError(awaited[0].path, 0, 0, "result awaited (no votes yet)", warning=True))
    elif awaited:  # one line for them all, not one per seat on every save (650 on a national site)
        names = [seat.facts.name for seat in awaited]
        listed = ", ".join(names) if len(names) <= 4 else f"{', '.join(names[:3])} and {len(names) - 3} more"
        folder = str(Path(awaited[0].path).parent)
        warnings.append(ContentError(folder, 0, 0, f"{len(awaited)} of {len(content.constituencies)} results "
                                     f"awaited (no votes yet): {listed}", warning=True))
    for seat in content.constituencies:
        if seat.facts.hex is None and has_map:
            warnings.append(ContentError(seat.path, 0, 0, "has no hex position, so it is left off the "
                                         "map; add 'hex: {q: ..., r: ...}'", warning=True))
        if content.blurbs[seat.slug].result is None and seat.is_declared():
            warnings.append(ContentError(seat.path, 0, 0, f"has no blurb; add {seat.slug}.md "
                                         "beside it to describe the result", warning=True))
    return warnings + list(content.places.left_out if content.places else ())
