"""`python3 build.py new "Name"`: start a constituency's facts and blurb files, never overwriting."""
from __future__ import annotations

from typing import Optional, TextIO

from sitegen.config import SLUG_RE, Paths, slugify
from sitegen.content.fields import character_problem
from sitegen.content.schema import modeline
from sitegen.content.yamltext import scalar

FACTS = """{modeline}
# {comment}: fill in each field marked REQUIRED, then run `python3 build.py check`.
# Every field is described in docs/CONTENT.md.
name: {name}
# ons_code: E14001066  # the constituency's ONS code, which imports and checks join on
# electorate: 71546    # the electorate at this poll, without commas; needed once declared
# rejected: 0          # rejected ballot papers, once the result is declared
# declared_at: 2024-07-05T03:40:00+01:00   # when it was declared, with its UTC offset
# hex: {{q: 0, r: 0}}    # tile on the map: column from the west, row up from the south
previous:              # REQUIRED: the notional previous result on these boundaries
  winner:              # REQUIRED: party id of last time's winner, e.g. con
  # mp: Name           # the MP before this election
  votes: {{}}            # REQUIRED: party id: notional votes last time, e.g. {{con: 29118, lab: 12227}}
  valid_votes:         # REQUIRED: the notional total of valid votes, unnamed candidates included
# valid_votes:         # once declared: the total of valid votes as announced (checked against the votes)
candidates:            # REQUIRED: one line per candidate; add votes to every one when declared
  - {{name: , party: }}  # e.g. {{name: Jane Smith, party: lab}}, later {{name: Jane Smith, party: lab, votes: 15746}}
# sources:             # where the figures come from
#   - {{title: "House of Commons Library CBP-10009", url: "https://commonslibrary.parliament.uk/research-briefings/cbp-10009/"}}
"""

BLURB = """<!-- {comment}: a short blurb about the result, in Markdown (this comment is not shown).
Write it in your own words: who won, from whom, anything notable about the count.
**bold**, *italics*, [a link](https://example.org) and lists all work. -->
"""


def create_constituency(paths: Paths, name: Optional[str], *, out: TextIO, err: TextIO) -> int:
    """Write content/constituencies/<slug>.yml and .md for `name`; return the exit code."""
    if not name or not name.strip():
        print('python3 build.py: error: new needs the constituency\'s name, e.g. '
              'python3 build.py new "Amber Valley"', file=err)
        return 2
    name = " ".join(name.split())
    why = character_problem(name)
    if why is not None:
        print(f"python3 build.py: error: the name {why}", file=err)
        return 2
    slug = slugify(name)
    if not SLUG_RE.match(slug):
        print(f"python3 build.py: error: cannot make a file name from {name!r}; use letters and digits",
              file=err)
        return 2
    folder = paths.content / "constituencies"
    facts, blurb = folder / f"{slug}.yml", folder / f"{slug}.md"
    existing = [p for p in (facts, blurb) if p.exists()]
    if existing:
        print(f"{paths.display(existing[0])}: already exists; nothing written (edit it, or choose "
              "another name)", file=err)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    # the name as YAML that reads back as typed ("Bath: North #2", "Yes", "0105"); in comments as is,
    # except what would end an HTML comment early
    facts.write_text(FACTS.format(name=scalar(name, flow=False), comment=name,
                                  modeline=modeline(f"constituencies/{slug}.yml")), encoding="utf-8")
    blurb.write_text(BLURB.format(comment=name.replace("--", "- -")), encoding="utf-8")
    print(f"Wrote {paths.display(facts)} and {paths.display(blurb)}.\n"
          f"Fill in the fields marked REQUIRED, then run: python3 build.py check", file=out)
    return 0
