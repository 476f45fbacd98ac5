"""Bad inputs an editor (or an attacker) could commit, applied to a copy of the small fixture site.

Each case changes the tree under `root` (which holds content/, templates/ and static/).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

SEAT = "content/constituencies/amber-valley.yml"
HOLD = "content/constituencies/chesterfield.yml"


def replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    """Return a change that replaces the first `old` with `new` in `path`."""
    def change(root: Path) -> None:
        file = root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def write(path: str, data: str | bytes) -> Callable[[Path], None]:
    """Return a change that writes `data` to `path`."""
    def change(root: Path) -> None:
        file = root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return change


def _awaited(root: Path) -> None:
    """Take Amber Valley back to before its declaration: no votes, no declared total."""
    for votes in (15746, 12192, 10725, 2278, 1590):
        replace(SEAT, f", votes: {votes}", "")(root)
    replace(SEAT, "valid_votes: 42531\n", "")(root)
    replace(SEAT, "elected: Linsey Farnsworth\nresult_source: release\n", "")(root)


def _no_candidates(root: Path) -> None:
    file = root / SEAT
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("  - {name:")]
    file.write_text("".join(kept).replace("candidates:\n", "candidates: []\n"), encoding="utf-8")


def remove(path: str) -> Callable[[Path], None]:
    return lambda root: (root / path).unlink()


def symlink_outside(root: Path) -> None:
    secret = root.parent / "secret.yml"
    secret.write_text("name: secret\n")
    (root / "content/constituencies/amber-valley.yml").unlink()
    os.symlink(secret, root / "content/constituencies/amber-valley.yml")


def link(path: str, target: str) -> Callable[[Path], None]:
    """Return a change that makes `path` a symbolic link to `target` (taken as written)."""
    def change(root: Path) -> None:
        (root / path).unlink(missing_ok=True)
        os.symlink(target, root / path)
    return change


def fifo(path: str) -> Callable[[Path], None]:
    """Return a change that makes `path` a named pipe, which would block whoever opens it."""
    return lambda root: os.mkfifo(root / path)


def both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        for c in changes:
            c(root)
    return change


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b]\n"

# id -> (change, expected stderr lines without the summary)
BAD = {
    "yaml-unclosed-flow": (replace(SEAT, "votes: 15746}", "votes: 15746"), [
        "content/constituencies/amber-valley.yml:13:5: YAML syntax error: did not find expected ',' or '}' (a '{' here is not closed with '}' on the same line)",
    ]),
    "yaml-tab-indent": (replace(SEAT, "  winner: con", "\twinner: con"), [
        'content/constituencies/amber-valley.yml:8:1: YAML syntax error: found character that cannot start any token (this line has a tab; indent with spaces)',
    ]),
    "yaml-missing-colon": (replace(SEAT, "rejected: 105", "rejected 105"), [
        "content/constituencies/amber-valley.yml:5:1: YAML syntax error: could not find expected ':' (is a ':' missing after a field name?)",
    ]),
    "yaml-unquoted-colon": (replace(SEAT, "name: Amber Valley", "name: Amber: Valley"), [
        "content/constituencies/amber-valley.yml:2:12: YAML syntax error: mapping values are not allowed in this context (a value containing ': ' needs quotes, or a line is indented wrongly)",
    ]),
    "yaml-duplicate-key": (replace(SEAT, "rejected: 105", "rejected: 105\nrejected: 106"), [
        "content/constituencies/amber-valley.yml:6:1: 'rejected' appears twice in the same block; keep only one",
    ]),
    "yaml-python-tag": (replace(SEAT, "rejected: 105", "rejected: !!python/object:os.system 105"), [
        "content/constituencies/amber-valley.yml:5:11: YAML syntax error: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object:os.system' (YAML tags like !!python are not allowed)",
    ]),
    "yaml-alias-bomb": (write("content/constituencies/bomb.yml", ALIAS_BOMB), [
        'content/constituencies/bomb.yml:1:4: YAML anchors and aliases (&name, *name) are not allowed; write the value out in full',
    ]),
    "yaml-merge-key": (replace(SEAT, "hex: {q: 2, r: 2}", "base: &b {q: 2}\nhex: {<<: *b, r: 2}"), [
        'content/constituencies/amber-valley.yml:7:6: YAML merge keys (<<) are not allowed; write the fields out in full',
    ]),
    "blank-text": (replace(SEAT, "name: Amber Valley", 'name: "  "'), [
        "content/constituencies/amber-valley.yml:2:7: name: must not be empty",
    ]),
    "type-word-for-number": (replace(SEAT, "electorate: 71546", "electorate: lots"), [
        "content/constituencies/amber-valley.yml:3:13: electorate: expected a whole number, got 'lots'",
    ]),
    "type-comma-in-number": (replace(SEAT, "electorate: 71546", "electorate: 71,546"), [
        "content/constituencies/amber-valley.yml:3:13: electorate: expected a whole number, got '71,546' (write numbers without commas or spaces)",
    ]),
    "number-leading-zero": (replace(SEAT, "rejected: 105", "rejected: 0105"), [
        "content/constituencies/amber-valley.yml:5:11: rejected: expected a whole number, got '0105' (write it without the leading zero: 105)",
    ]),
    "number-base-60": (replace(SEAT, "votes: 1590", "votes: 26:30"), [
        "content/constituencies/amber-valley.yml:17:42: candidates[4].votes: expected a whole number, got '26:30' (YAML reads digits joined by ':' as minutes and seconds; write the number on its own)",
    ]),
    "number-hex": (replace(SEAT, "votes: 1590", "votes: 0x636"), [
        "content/constituencies/amber-valley.yml:17:42: candidates[4].votes: expected a whole number, got '0x636' (write the number in decimal digits)",
    ]),
    "number-underscore": (replace(SEAT, "votes: 1590", "votes: 1_590"), [
        "content/constituencies/amber-valley.yml:17:42: candidates[4].votes: expected a whole number, got '1_590' (write numbers without '_': 1590)",
    ]),
    "date-no-such-day": (replace("content/site.yml", "polling_day: 2024-07-04", "polling_day: 2024-02-30"), [
        "content/site.yml:3:14: polling_day: expected a date like 2024-07-04, got '2024-02-30' (there is no such date or time)",
    ]),
    "time-no-such-hour": (replace(SEAT, "rejected: 105", "rejected: 105\ndeclared_at: 2024-07-05T25:40:00+01:00"), [
        "content/constituencies/amber-valley.yml:6:14: declared_at: expected a date and time with its UTC offset, like 2024-07-05T03:40:00+01:00, got '2024-07-05T25:40:00+01:00' (there is no such date or time)",
    ]),
    "time-years-after-polling-day": (replace(SEAT, "rejected: 105", "rejected: 105\ndeclared_at: 2042-07-05T01:30:00+01:00"), [
        "content/constituencies/amber-valley.yml:6:14: declared_at: 2042-07-05T01:30:00+01:00 is 6,575 days after polling day (2024-07-04, in site.yml); a count ends within days of the poll: check the year and the month",
    ]),
    "time-at-the-end-of-time": (replace(SEAT, "rejected: 105", "rejected: 105\ndeclared_at: 9999-12-31T23:59:59-12:00"), [
        "content/constituencies/amber-valley.yml:6:14: declared_at: 9999-12-31T23:59:59-12:00 is 2,912,988 days after polling day (2024-07-04, in site.yml); a count ends within days of the poll: check the year and the month",
    ]),
    "time-before-polls-closed": (replace(SEAT, "rejected: 105", "rejected: 105\ndeclared_at: 2024-07-04T21:59:00+01:00"), [
        "content/constituencies/amber-valley.yml:6:14: declared_at: 2024-07-04T21:59:00+01:00 is before the polls closed (2024-07-04 at 22:00, polling_day in site.yml); check the date, the time and the UTC offset",
    ]),
    "yaml-nested-too-deep": (write("content/constituencies/deep.yml", "name: " + "[" * 100_000 + "]" * 100_000 + "\n"), [
        "content/constituencies/deep.yml:1:71: brackets nest more than 64 deep, deeper than any content file needs (is a '[' or '{' never closed?)",
    ]),
    "yaml-indented-too-deep": (write("content/constituencies/deep.yml", "name:\n" + "".join(" " * i + "a:\n" for i in range(1, 200))), [
        "content/constituencies/deep.yml:200:1: nests 199 columns deep (indentation and '- ' marks), deeper than any content file needs (at most 128); check the indentation",
    ]),
    "name-direction-override": (replace(SEAT, "name: Linsey Farnsworth", 'name: "Linsey \\u202EFarnsworth"'), [
        "content/constituencies/amber-valley.yml:13:12: candidates[0].name: contains the invisible direction control U+202E, which would reorder the words around it on the page; delete it (retype the text if you cannot see it)",
    ]),
    "name-control-character": (replace(SEAT, "name: Amber Valley", 'name: "Amber\\aValley"'), [
        "content/constituencies/amber-valley.yml:2:7: name: contains the control character U+0007; delete it (retype the text if you cannot see it)",
    ]),
    "name-noncharacter": (replace(SEAT, "name: Kate Smith", 'name: "Kate\\uFFFESmith"'), [
        "content/constituencies/amber-valley.yml:17:12: candidates[4].name: contains U+FFFE, which is not a character (Unicode keeps it out of text) and would make the feed unreadable; delete it (retype the text if you cannot see it)",
    ]),
    "name-noncharacter-raw": (replace(SEAT, "name: Kate Smith", "name: Kate\uFFFESmith"), [
        "content/constituencies/amber-valley.yml:17:16: contains U+FFFE, which is not a character (Unicode keeps it out of text); delete it (retype the text if you cannot see it)",
    ]),
    "name-lone-surrogate": (replace(SEAT, "name: Kate Smith", 'name: "Kate\\uD800Smith"'), [
        "content/constituencies/amber-valley.yml:17:19: YAML syntax error: found invalid Unicode character escape code",
    ]),
    "blurb-noncharacter": (write("content/constituencies/amber-valley.md", "A count.\n\nThen a \uFFFF here.\n"), [
        "content/constituencies/amber-valley.md:3:8: contains U+FFFF, which is not a character (Unicode keeps it out of text); delete it (retype the text if you cannot see it)",
    ]),
    "blurb-control-character": (write("content/overview.md", "Ring the \x07bell.\n"), [
        "content/overview.md:1:10: contains the control character U+0007; delete it (retype the text if you cannot see it)",
    ]),
    "name-only-invisible": (replace(SEAT, "name: Kate Smith", 'name: "\\u200B\\u200B"'), [
        "content/constituencies/amber-valley.yml:17:12: candidates[4].name: has only invisible characters; write the text out",
    ]),
    "name-twice-in-two-unicode-forms": (replace(SEAT, "{name: Kate Smith, party: ld, votes: 1590}", '{name: "Zo\\u00EB Smith", party: ld, votes: 1590}\n  - {name: "Zoe\\u0308 Smith", party: ld, votes: 0}'), [
        "content/constituencies/amber-valley.yml:18:12: candidates[5].name: 'Zoë Smith' (ld) is listed twice, as candidates[4] too; remove one (if two candidates really share a name and a party, give each their person_id)",
    ]),
    "colour-unquoted-in-braces": (replace("content/parties.yml", 'colour: "#E4003B"', "colour: #E4003B"), [
        "content/parties.yml:1:6: YAML syntax error: did not find expected ',' or '}' (a value that starts with # needs quotes, like \"#E4003B\": YAML reads the rest of the line as a comment)",
    ]),
    "colour-unquoted-on-its-own-line": (replace(SEAT, "name: Amber Valley", "name: #Amber Valley"), [
        'content/constituencies/amber-valley.yml:2:6: name: is empty: YAML reads everything from \' #\' on as a comment; put a value that starts with # in quotes, like "#E4003B"',
    ]),
    "party-name-for-id": (replace(SEAT, "party: reform", "party: Reform UK"), [
        "content/constituencies/amber-valley.yml:14:35: candidates[1].party: expected a party id from parties.yml (lowercase a-z, 0-9 and '-'), got 'Reform UK' (did you mean 'reform', the id of Reform UK?)",
    ]),
    "type-decimal-votes": (replace(SEAT, "votes: 12192", "votes: 12192.5"), [
        'content/constituencies/amber-valley.yml:14:50: candidates[1].votes: expected a whole number, got 12192.5',
    ]),
    "type-bool-name": (replace(SEAT, "name: Amber Valley", "name: yes"), [
        'content/constituencies/amber-valley.yml:2:7: name: expected text, got true (YAML reads yes, no, true and false as true or false); put it in quotes',
    ]),
    "type-notional-votes-text": (replace(SEAT, "lab: 12227", "lab: lots"), [
        "content/constituencies/amber-valley.yml:10:28: previous.votes.lab: expected a whole number, got 'lots'",
    ]),
    "type-candidates-not-list": (replace(SEAT, "candidates:\n", "candidates: none\nx:\n"), [
        "content/constituencies/amber-valley.yml:12:13: candidates: expected a list (one '- ' line per item), got 'none'",
        "content/constituencies/amber-valley.yml:13:1: x: unknown field 'x' (expected one of: candidates, corrections, declared_at, declared_at_approx, elected, electorate, hex, name, old_slugs, ons_code, previous, provisional, recorded_at, recount_note, rejected, result_source, sources, status, updated, valid_votes, winner_by_lot)",
    ]),
    "type-empty-file": (write(SEAT, ""), [
        "content/constituencies/amber-valley.yml:1:1: expected a block of 'field: value' lines, got an empty file",
    ]),
    "key-unknown-typo": (replace(SEAT, "votes: 15746", "votess: 15746"), [
        "content/constituencies/amber-valley.yml:13:43: candidates[0].votess: unknown field 'votess' (did you mean 'votes'?)",
    ]),
    "key-unknown-top-level": (replace(SEAT, "electorate: 71546", "electorat: 71546"), [  # reported where the typo is
        "content/constituencies/amber-valley.yml:3:1: electorat: unknown field 'electorat' (did you mean 'electorate'?)",
    ]),
    "key-missing-required": (replace(SEAT, "name: Amber Valley\n", ""), [
        'content/constituencies/amber-valley.yml:2:1: name: required field is missing',
    ]),
    "key-missing-misspelt": (replace(SEAT, "name: Amber Valley", "nmae: Amber Valley"), [  # reported where the typo is
        "content/constituencies/amber-valley.yml:2:1: name: required field is missing (is 'nmae' here meant to be 'name'?)",
        "content/constituencies/amber-valley.yml:2:1: nmae: unknown field 'nmae' (did you mean 'name'?)",
    ]),
    "declared-without-electorate": (replace(SEAT, "electorate: 71546\n", ""), [
        "content/constituencies/amber-valley.yml:11:1: candidates: a declared result needs 'electorate:', the electorate at this poll (turnout is worked out from it)",
    ]),
    "party-unknown": (replace(SEAT, "party: reform", "party: refrom"), [
        "content/constituencies/amber-valley.yml:14:35: candidates[1].party: unknown party 'refrom' (did you mean 'reform'?)",
    ]),
    "party-unknown-previous-votes": (replace(SEAT, "ld: 2875", "lib: 2875"), [
        "content/constituencies/amber-valley.yml:10:35: previous.votes.lib: unknown party 'lib' (did you mean 'lab'?)",
    ]),
    "party-bad-id": (replace("content/parties.yml", "lab: {", "Lab: {"), [
        "content/parties.yml:1:1: Lab: expected a party id (lowercase a-z, 0-9 and '-'), got 'Lab'",
    ]),
    "party-bad-colour": (replace("content/parties.yml", '"#E4003B"', "red"), [
        "content/parties.yml:1:41: lab.colour: expected a colour like '#E4003B', got 'red'",
    ]),
    "number-negative-votes": (replace(SEAT, "votes: 12192", "votes: -3"), [
        'content/constituencies/amber-valley.yml:14:50: candidates[1].votes: expected a whole number >= 0, got -3',
    ]),
    "number-zero-electorate": (replace(SEAT, "electorate: 71546", "electorate: 0"), [
        'content/constituencies/amber-valley.yml:3:13: electorate: expected a whole number > 0, got 0',
    ]),
    "number-too-many-votes": (replace(SEAT, "electorate: 71546", "electorate: 40000"), [
        'content/constituencies/amber-valley.yml:3:13: electorate: valid votes 42,531 plus rejected 105 make 42,636, more than the electorate of 40,000; check the figures',
    ]),
    "number-notional-votes-over-total": (replace(SEAT, "valid_votes: 45609", "valid_votes: 40000"), [
        "content/constituencies/amber-valley.yml:10:10: previous.votes: named parties' votes add up to 45,609, more than previous.valid_votes of 40,000; check the figures",
    ]),
    "number-notional-votes-negative": (replace(SEAT, "con: 29118", "con: -5"), [
        'content/constituencies/amber-valley.yml:10:16: previous.votes.con: expected a whole number >= 0, got -5',
    ]),
    "previous-winner-not-most-votes": (replace(SEAT, "winner: con", "winner: lab"), [
        "content/constituencies/amber-valley.yml:8:11: previous.winner: 'lab' does not have the most notional votes; 'con' has 29,118",
    ]),
    "checksum-figure-mistyped": (replace(SEAT, "votes: 12192", "votes: 12912"), [
        "content/constituencies/amber-valley.yml:12:1: candidates: votes add up to 43,251 but valid_votes is 42,531 (720 over: is a figure mistyped?)",
    ]),
    "checksum-candidate-missing": (replace(SEAT, "  - {name: Kate Smith, party: ld, votes: 1590}\n", ""), [
        "content/constituencies/amber-valley.yml:12:1: candidates: votes add up to 40,941 but valid_votes is 42,531 (1,590 short: is a candidate missing?)",
    ]),
    "checksum-no-declared-total": (replace(SEAT, "valid_votes: 42531\n", ""), [
        "content/constituencies/amber-valley.yml:11:1: candidates: a declared result needs 'valid_votes:', the total of valid votes as the returning officer announced it",
    ]),
    "awaited-with-declared-total": (lambda root: [replace(SEAT, f", votes: {v}", "")(root) for v in (15746, 12192, 10725, 2278, 1590)], [
        "content/constituencies/amber-valley.yml:4:14: valid_votes: given while no candidate has votes; add every candidate's votes, or remove valid_votes until the result is declared",
        "content/constituencies/amber-valley.yml:22:10: elected: given while the result is not declared; remove it, or add every candidate's votes",
        "content/constituencies/amber-valley.yml:23:16: result_source: given while the result is not declared; remove it, or add every candidate's votes",
    ]),
    # Result states (CONTENT.md): combinations that cannot be true on the night
    "state-awaited-with-votes": (replace(SEAT, "rejected: 105\n", "rejected: 105\nstatus: awaited\n"), [
        "content/constituencies/amber-valley.yml:6:9: status: 'awaited' while candidates have votes; remove the votes until the result is declared, or remove status",
    ]),
    "state-recount-with-votes": (replace(SEAT, "rejected: 105\n", "rejected: 105\nstatus: recount\n"), [
        "content/constituencies/amber-valley.yml:6:9: status: 'recount' while candidates have votes: once the recount is declared, remove status (the votes are the declared result); while it is under way, remove the votes and valid_votes",
    ]),
    "state-declared-without-votes": (lambda root: [_awaited(root), replace(SEAT, "rejected: 105\n", "rejected: 105\nstatus: declared\n")(root)], [
        "content/constituencies/amber-valley.yml:5:9: status: 'declared' while no candidate has votes; give every candidate votes and add valid_votes",
    ]),
    "state-declared-at-while-awaited": (lambda root: [_awaited(root), replace(SEAT, "rejected: 105\n", "rejected: 105\ndeclared_at: 2024-07-05T03:40:00+01:00\n")(root)], [
        "content/constituencies/amber-valley.yml:5:14: declared_at: given while the result is not declared; remove it, or add every candidate's votes",
    ]),
    "state-recount-note-without-recount": (replace(SEAT, "rejected: 105\n", "rejected: 105\nrecount_note: Bundle check\n"), [
        "content/constituencies/amber-valley.yml:6:15: recount_note: given while the result is declared; remove it (the recount is over)",
    ]),
    "state-recount-without-candidates": (lambda root: [_awaited(root), replace(SEAT, "rejected: 105\n", "rejected: 105\nstatus: recount\n")(root), _no_candidates(root)], [
        "content/constituencies/amber-valley.yml:12:13: candidates: expected at least one entry",
    ]),
    "state-approx-without-time": (replace(SEAT, "rejected: 105\n", "rejected: 105\ndeclared_at_approx: just after\n"), [
        "content/constituencies/amber-valley.yml:6:21: declared_at_approx: given without declared_at; add the time it qualifies, or remove it",
    ]),
    "state-unknown": (replace(SEAT, "rejected: 105\n", "rejected: 105\nstatus: counting\n"), [
        "content/constituencies/amber-valley.yml:6:9: status: expected one of awaited, recount or declared, got 'counting'",
    ]),
    "state-approx-unknown": (replace(SEAT, "rejected: 105\n", "rejected: 105\ndeclared_at: 2024-07-05T03:40:00+01:00\ndeclared_at_approx: roughly\n"), [
        "content/constituencies/amber-valley.yml:7:21: declared_at_approx: expected one of 'about', 'just before' or 'just after', got 'roughly'",
    ]),
    "file-awaited-blurb-misspelt": (write("content/constituencies/amber-valey.awaited.md", "Waiting.\n"), [
        "content/constituencies/amber-valey.awaited.md:1: blurb for an awaited result has no matching amber-valey.yml (did you mean 'amber-valley.awaited.md'?)",
    ]),
    "file-orphan-awaited-blurb": (write("content/constituencies/bolsover.awaited.md", "Bolsover waits.\n"), [
        "content/constituencies/bolsover.awaited.md:1: blurb for an awaited result has no matching bolsover.yml",
    ]),
    "mixed-declared-awaited": (replace(SEAT, ", votes: 12192", ""), [
        'content/constituencies/amber-valley.yml:14:5: candidates: Alex Stevenson (2nd) has no votes while the others do; give every candidate votes (declared) or none (awaited)',
    ]),
    "mixed-declared-awaited-several": (both(replace(SEAT, ", votes: 12192", ""), replace(SEAT, ", votes: 2278", "")), [
        'content/constituencies/amber-valley.yml:14:5: candidates: Alex Stevenson (2nd) and Matt McGuinness (4th) have no votes while the others do; give every candidate votes (declared) or none (awaited)',
    ]),
    "declared-one-candidate": (write(SEAT, "name: Amber Valley\nelectorate: 100\nvalid_votes: 10\nelected: A\nresult_source: count\nprevious: {winner: con, votes: {con: 60}, valid_votes: 100}\ncandidates:\n  - {name: A, party: lab, votes: 10}\n"), [
        'content/constituencies/amber-valley.yml:8:3: candidates: a declared result needs at least two candidates',
    ]),
    "name-mojibake": (replace(SEAT, "name: Kate Smith", "name: K\u00c3\u0081te Smith"), [
        "content/constituencies/amber-valley.yml:17:14: contains the control character U+0081, which YAML does not allow; delete it (retype the text if you cannot see it) (it looks like mis-encoded text: is 'K\u00c3\\x81te' meant to be 'K\u00c1te'?)",
    ]),
    "name-mojibake-escaped": (replace(SEAT, "name: Kate Smith", 'name: "K\u00c3\\u0081te Smith"'), [
        "content/constituencies/amber-valley.yml:17:12: candidates[4].name: contains the control character U+0081; delete it (retype the text if you cannot see it) (it looks like mis-encoded text: is 'K\u00c3\\x81te Smith' meant to be 'K\u00c1te Smith'?)",
    ]),
    "duplicate-candidate": (replace(SEAT, "{name: Kate Smith, party: ld", "{name: Linsey Farnsworth, party: lab"), [
        "content/constituencies/amber-valley.yml:17:12: candidates[4].name: 'Linsey Farnsworth' (lab) is listed twice, as candidates[0] too; remove one (if two candidates really share a name and a party, give each their person_id)",
    ]),
    "tie-without-lot": (both(replace(SEAT, "votes: 12192", "votes: 15746"),
                             replace(SEAT, "valid_votes: 42531", "valid_votes: 46085")), [
        "content/constituencies/amber-valley.yml:13:3: candidates: tie for first place between Linsey Farnsworth and Alex Stevenson on 15,746 votes; add 'winner_by_lot: <name>' with the candidate the returning officer's lot chose",
    ]),
    "tie-lot-not-tied": (both(replace(SEAT, "votes: 12192", "votes: 15746"),
                              replace(SEAT, "valid_votes: 42531", "valid_votes: 46085"),
                              replace(SEAT, "rejected: 105", "rejected: 105\nwinner_by_lot: Kate Smith")), [
        "content/constituencies/amber-valley.yml:6:16: winner_by_lot: 'Kate Smith' is not one of the tied candidates (Linsey Farnsworth, Alex Stevenson)",
    ]),
    "duplicate-constituency-name": (replace(HOLD, "name: Chesterfield", "name: Amber Valley"), [
        "content/constituencies/chesterfield.yml:2:7: name: 'Amber Valley' is also the name of content/constituencies/amber-valley.yml",
    ]),
    "site-base-url-no-slash": (replace("content/site.yml", "https://example.org/test/", "https://example.org/test"), [
        "content/site.yml:5:11: base_url: expected a web address starting https:// and ending with '/', got 'https://example.org/test'",
    ]),
    "site-date-in-words": (replace("content/site.yml", "2024-07-04", "4 July 2024"), [
        "content/site.yml:3:14: polling_day: expected a date like 2024-07-04, got '4 July 2024'",
    ]),
    "site-missing": (remove("content/site.yml"), [
        'content/site.yml: file not found',
    ]),
    "declared-at-no-offset": (replace(SEAT, "rejected: 105", "rejected: 105\ndeclared_at: 2024-07-05T03:40:00"), [
        'content/constituencies/amber-valley.yml:6:14: declared_at: expected a date and time with its UTC offset, like 2024-07-05T03:40:00+01:00, got 2024-07-05T03:40:00',
    ]),
    "source-javascript-url": (replace(SEAT, 'url: "https://commonslibrary', 'url: "javascript:alert(1)//'), [
        "content/constituencies/amber-valley.yml:19:89: sources[0].url: expected a web address starting https://, got 'javascript:alert(1)//.parliament.uk/research-briefings/cbp-10009/'",
    ]),
    "file-named-like-a-site-folder": (write("content/constituencies/embed.yml", "name: Embed\ncandidates:\n  - {name: A, party: lab}\n"), [
        "content/constituencies/embed.yml: file name 'embed' is taken: the site puts the area's embeddable card at embed/; name the file after the constituency",
    ]),
    "old-slug-named-like-a-site-folder": (replace(SEAT, "name: Amber Valley", "name: Amber Valley\nold_slugs: [assets]"), [
        "content/constituencies/amber-valley.yml:3:13: old_slugs[0]: 'assets' is taken: the site puts the site's stylesheets and scripts at assets/; remove it from this list",
    ]),
    "file-name-without-a-slug": (lambda root: (root / SEAT).rename(root / "content/constituencies/...yml"), [
        "content/constituencies/...yml: file name '...yml' has no constituency before .yml; was a seat's file renamed by mistake? Name it <slug>.yml",
        "content/constituencies/amber-valley.md:1: blurb has no matching amber-valley.yml",
    ]),
    "blurb-link-to-a-folder-without-its-slash": (write("content/constituencies/amber-valley.md", "A count.\n\nSee [Chesterfield](../chesterfield).\n"), [
        "content/constituencies/amber-valley.md:3: link '../chesterfield' leads to no page or file of the site (did you mean '../chesterfield/'?); link to a seat from the site's root, like '/bolsover/', wherever the blurb is",
    ]),
    "blurb-link-to-no-page": (write("content/overview.md", "The night.\n\n[ref]: /bolsover/\n\nSee [Bolsover][ref].\n"), [
        "content/overview.md:3: link '/bolsover/' leads to no page or file of the site; link to a seat from the site's root, like '/bolsover/', wherever the blurb is",
    ]),
    "blurb-link-out-of-the-site": (write("content/constituencies/amber-valley.md", 'A count, <a href="../../../etc/">here</a>.\n'), [
        "content/constituencies/amber-valley.md:1: link '../../../etc/' leads outside the site; link to a seat from the site's root, like '/bolsover/', wherever the blurb is",
    ]),
    "blurb-link-to-no-place": (write("content/constituencies/amber-valley.md", "See [the map](/#no-such-place).\n"), [
        "content/constituencies/amber-valley.md:1: link '/#no-such-place': the page it leads to has no place called 'no-such-place'",
    ]),
    "file-orphan-blurb": (write("content/constituencies/amber-valey.md", "Hello"), [
        "content/constituencies/amber-valey.md:1: blurb has no matching amber-valey.yml (did you mean 'amber-valley.md'?)",
    ]),
    "file-renamed-facts-only": (lambda root: (root / SEAT).rename(root / "content/constituencies/amber-valey.yml"), [
        "content/constituencies/amber-valley.md:1: blurb has no matching amber-valley.yml (amber-valey.yml has no blurb: if one of the two was renamed, give both the same name)",
    ]),
    "old-slug-is-a-current-address": (replace(SEAT, "rejected: 105", "rejected: 105\nold_slugs: [chesterfield]"), [
        "content/constituencies/amber-valley.yml:6:13: old_slugs[0]: 'chesterfield' is the address of Chesterfield now; remove it from this list",
    ]),
    "old-slug-listed-twice": (both(replace(SEAT, "rejected: 105", "rejected: 105\nold_slugs: [amber]"),
                                   replace(HOLD, "name: Chesterfield", "name: Chesterfield\nold_slugs: [amber]")), [
        "content/constituencies/chesterfield.yml:3:13: old_slugs[0]: 'amber' is also an old address of Amber Valley; it can lead to only one page",
    ]),
    "old-slug-not-a-slug": (replace(SEAT, "rejected: 105", "rejected: 105\nold_slugs: [Amber Valley]"), [
        "content/constituencies/amber-valley.yml:6:13: old_slugs[0]: expected an address name like 'amber-valley' (lowercase a-z, 0-9 and '-'), got 'Amber Valley'",
    ]),
    "file-bad-slug": (write("content/constituencies/Bolsover Seat.yml", "name: Bolsover\n"), [
        "content/constituencies/Bolsover Seat.yml: file name 'Bolsover Seat' is not a valid slug (lowercase a-z, 0-9 and '-'); try 'bolsover-seat.yml'",
    ]),
    "file-accented-name": (write("content/constituencies/Café Seat.md", "A blurb.\n"), [
        "content/constituencies/Café Seat.md: file name 'Café Seat' is not a valid slug (lowercase a-z, 0-9 and '-'); try 'cafe-seat.md'",
    ]),
    "file-no-letters": (write("content/constituencies/--.yml", "name: Bolsover\n"), [
        "content/constituencies/--.yml: file name '--' is not a valid slug (lowercase a-z, 0-9 and '-')",
    ]),
    "file-yaml-extension": (write("content/constituencies/bolsover.yaml", "name: Bolsover\n"), [
        'content/constituencies/bolsover.yaml: unexpected file in constituencies/; expected <slug>.yml or <slug>.md (rename it to .yml)',
    ]),
    "file-symlink-outside": (symlink_outside, [
        'content/constituencies/amber-valley.yml: is a symbolic link to a file outside content/; copy the file in instead',
    ]),
    "file-fifo": (fifo("content/constituencies/pipe.yml"), [
        "content/constituencies/pipe.yml: is not a regular file",
    ]),
    "file-broken-link": (link("content/constituencies/gone.yml", "nowhere.yml"), [
        "content/constituencies/gone.yml: is a symbolic link that leads nowhere (a broken link, or a loop); remove it",
    ]),
    "file-link-loop": (both(link("content/constituencies/a.yml", "b.yml"), link("content/constituencies/b.yml", "a.yml")), [
        "content/constituencies/a.yml: is a symbolic link that leads nowhere (a broken link, or a loop); remove it",
        "content/constituencies/b.yml: is a symbolic link that leads nowhere (a broken link, or a loop); remove it",
    ]),
    "file-link-to-device": (link("content/overview.md", "/dev/zero"), [
        "content/overview.md: is a symbolic link to a file outside content/; copy the file in instead",
    ]),
    "static-link-outside": (link("static/leak.txt", "/etc/hostname"), [
        "static/leak.txt: is a symbolic link to a file outside static/; copy the file in instead",
    ]),
    "static-fifo": (fifo("static/pipe.css"), [
        "static/pipe.css: is not a regular file",
    ]),
    "file-oversized": (write("content/overview.md", "word " * 250_000), [
        'content/overview.md: file is 1,250,000 bytes; content files are limited to 1,000,000 bytes',
    ]),
    "blurb-over-the-size-limit": (write("content/overview.md", "Some text [with a bracket and no close. " * 25_000), [
        "content/overview.md: is 1,000,000 characters long; a blurb is at most 100,000 (about 15,000 words): shorten it",
    ]),
    "file-not-utf8": (write("content/constituencies/amber-valley.md", "Caf\xe9 line\nsecond \xe9".encode("latin-1")), [
        'content/constituencies/amber-valley.md:1: is not UTF-8 text (byte 0xe9); save the file as UTF-8',
    ]),
    "static-file-missing": (remove("static/sort.js"), [
        "templates/overview.html:10: template error: asset('sort.js'): static/sort.js is not there; put the file back, or change the template",
    ]),
    "template-syntax-error": (replace("templates/constituency.html", "{% if blurb %}", "{% if blurb %"), [
        "templates/constituency.html:99: template syntax error: unexpected '<'",
    ]),
    "template-undefined-variable": (replace("templates/constituency.html", "{{ facts.name }}</h1>", "{{ facts.nmae }}</h1>"), [
        "templates/constituency.html:13: template error: 'sitegen.content.model.ConstituencyFacts object' has no attribute 'nmae'",
    ]),
    "template-broken-link": (replace("templates/constituency.html", "relurl('')", "relurl('nowhere/')"), [
        "dist/amber-valley/index.html: link '../nowhere/' points to a missing file",
        "dist/chesterfield/index.html: link '../nowhere/' points to a missing file",
    ]),
}

# Valid but hostile content: the build succeeds and nothing executable reaches the output.
HOSTILE = {
    "script-in-candidate-name": replace(SEAT, "name: Kate Smith", "name: \"<script>alert('x')</script>\""),
    "handler-in-party-name": replace("content/parties.yml", "name: Reform UK", "name: '\"><svg onload=alert(1)>'"),
    "quotes-in-source-title": replace(SEAT, 'title: "House', 'title: "\\" onmouseover=\\"alert(1) House'),
    "script-in-blurb": write("content/overview.md", "Hi <script>alert(1)</script> there\n\n<style>body{display:none}</style>\n"),
    "handler-in-blurb": write("content/overview.md", '<img src=x onerror="alert(1)"> <p onclick="alert(1)">x</p>\n'),
    "javascript-link-in-blurb": write("content/overview.md", "[click](javascript:alert(1)) and <a href=\"data:text/html,<script>alert(1)</script>\">d</a>\n"),
    "iframe-in-blurb": write("content/overview.md", '<iframe src="https://evil.example"></iframe>\n'),
    "bom-and-crlf": write(SEAT.replace(".yml", ".md"), "\ufeffFirst line\r\nsecond line\r\n"),
}
