"""Generate a synthetic national-scale results site: `python bench/generate.py N [--out DIR] [--seed S]`.

Deterministic for a given N and seed, realistic in shape (5-12 candidates, ~12 parties, electorates
of 60-80k, notional previous votes, 150-250-word Markdown blurbs with headings, lists, links and
emphasis, tile positions), and valid under the project's own checks. The figures are invented: this
content is for benchmarks and tests only, never for publication.
"""
from __future__ import annotations

import argparse
import math
import random
import shutil
from pathlib import Path

PARTIES = [  # id, name, short, colour, typical strength
    ("lab", "Labour", "Lab", "#E4003B", 34), ("con", "Conservative", "Con", "#0087DC", 24),
    ("reform", "Reform UK", "Reform", "#12B6CF", 14), ("ld", "Liberal Democrats", "LD", "#FAA61A", 12),
    ("green", "Green Party", "Green", "#02A95B", 7), ("snp", "Scottish National Party", "SNP", "#FDF38E", 3),
    ("pc", "Plaid Cymru", "PC", "#005B54", 1), ("workers", "Workers Party of Britain", "Workers", "#9E1B32", 1),
    ("ind", "Independent", "Ind", "#8C8C8C", 1), ("sdp", "Social Democratic Party", "SDP", "#7D3C98", 1),
    ("heritage", "Heritage Party", "Heritage", "#3B5B92", 1), ("monster", "Official Monster Raving Loony Party", "OMRLP", "#C0C000", 1),
]
PLACES = ["North", "South", "East", "West", "Upper", "Lower", "Great", "Little", "Old", "New", "Long", "High",
          "Kings", "Market", "Bishops", "Castle"]
ROOTS = ["bridge", "ford", "ham", "ton", "field", "wick", "by", "stow", "worth", "ley", "borough", "mouth",
         "minster", "cester", "dale", "moor"]
STEMS = ["Ash", "Elm", "Oak", "Thorn", "Brook", "Stone", "Mill", "Wood", "Marsh", "Hay", "Black", "White",
         "Red", "Green", "Cold", "Wind", "Fair", "Long", "Brad", "Chip"]
FIRST = ["Alex", "Sam", "Jo", "Chris", "Priya", "Amir", "Fatima", "Owen", "Rhiannon", "Callum", "Niamh",
         "Grace", "Tom", "Aisha", "Daniel", "Helen", "Mohammed", "Sarah", "James", "Emma", "Kofi", "Li"]
LAST = ["Smith", "Jones", "Patel", "Evans", "Hughes", "Khan", "Morgan", "Wright", "Clarke", "Begum",
        "Taylor", "Walker", "Robinson", "Campbell", "Murray", "Okafor", "Chen", "Ahmed", "Turner", "Price"]
WORDS = ("count turnout ballot hall night returning officer recount majority swing voters campaign doorstep "
         "seat constituency result margin council town villages candidates local hospital transport housing "
         "schools jobs high street rural farming bus routes energy costs").split()


def seat_name(rng: random.Random, i: int) -> str:
    """Return a unique, plausible constituency name for index `i`."""
    base = rng.choice(STEMS) + rng.choice(ROOTS)
    name = f"{rng.choice(PLACES)} {base}" if rng.random() < 0.5 else base
    if rng.random() < 0.3:
        name += f" and {rng.choice(STEMS)}{rng.choice(ROOTS)}"
    return f"{name} {_letters(i + 1)}"


def _letters(n: int) -> str:
    """Return n in a letters-only form, so every name is unique: 1 -> 'A', 27 -> 'AA'."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def blurb(rng: random.Random, name: str, winner: str, party: str) -> str:
    """Return a 150-250-word Markdown blurb with a heading, a list, links and emphasis."""
    parts = [f"**{winner}** won {name} for {party}. " + " ".join(sentence(rng, rng.randint(8, 14)) for _ in range(4)),
             "## The count",
             " ".join(sentence(rng, rng.randint(8, 14)) for _ in range(3)) +
             f" See the [returning officer's notice](https://example.org/{rng.randint(1000, 9999)}).",
             "## What mattered here",
             "\n".join(f"- *{rng.choice(WORDS)}*: {sentence(rng, rng.randint(6, 10))}" for _ in range(4)),
             " ".join(sentence(rng, rng.randint(8, 14)) for _ in range(3))]
    return "\n\n".join(parts) + "\n"


def party_list(n: int) -> list[tuple]:
    """Return `n` parties: the usual twelve, then invented small parties with colours of their own."""
    extra = []
    for i in range(max(0, n - len(PARTIES))):
        hue = (i * 137) % 360
        r, g, b = (int(128 + 100 * math.cos(math.radians(hue + shift))) for shift in (0, 120, 240))
        extra.append((f"small-{i + 1}", f"{_letters(i + 1)} {rng_word(i)} Party", f"S{i + 1}",
                      f"#{r:02X}{g:02X}{b:02X}", 1))
    return list(PARTIES) + extra


def rng_word(i: int) -> str:
    return STEMS[i % len(STEMS)] + ROOTS[(i // len(STEMS)) % len(ROOTS)]


def constituency(rng: random.Random, name: str, q: int, r: int, parties: list[tuple] = PARTIES) -> tuple[str, str]:
    """Return the YAML facts and Markdown blurb of one seat."""
    count = rng.randint(5, 12)
    majors = list(parties[:5])
    minors = rng.sample(parties[5:], count - len(majors)) if count > len(majors) else []
    standing = majors + minors
    electorate = rng.randint(60_000, 80_000)
    turnout = rng.uniform(0.52, 0.72)
    weights = [p[4] * rng.uniform(0.3, 1.8) for p in standing]
    if len(parties) > len(PARTIES) and minors and rng.random() < 0.05:
        weights[-1] = max(weights) * 1.5  # now and then a small party wins: many colours on the map
    total_weight = sum(weights)
    valid = int(electorate * turnout)
    votes = [max(50, int(valid * w / total_weight)) for w in weights]
    if votes.count(max(votes)) > 1:
        votes[votes.index(max(votes))] += 1  # no ties for first place
    people = rng.sample([f"{f} {l}" for f in FIRST for l in LAST], count)
    prev_parties = standing[:5]
    prev_weights = [p[4] * rng.uniform(0.4, 1.6) for p in prev_parties]
    prev_valid = int(electorate * rng.uniform(0.55, 0.72))
    prev_named = prev_valid * rng.uniform(0.95, 1.0)  # unnamed candidates took the rest
    prev_votes = [int(prev_named * w / sum(prev_weights)) for w in prev_weights]
    if prev_votes.count(max(prev_votes)) > 1:
        prev_votes[prev_votes.index(max(prev_votes))] += 1
    prev_winner = prev_parties[prev_votes.index(max(prev_votes))][0]
    lines = [f"name: {name}", f"electorate: {electorate}", f"valid_votes: {sum(votes)}",
             f"rejected: {rng.randint(50, 250)}",
             f"elected: {people[votes.index(max(votes))]}", "result_source: count",
             f"hex: {{q: {q}, r: {r}}}", "previous:", f"  winner: {prev_winner}",
             f"  mp: {rng.choice(FIRST)} {rng.choice(LAST)}",
             "  votes: {" + ", ".join(f"{p[0]}: {v}" for p, v in zip(prev_parties, prev_votes)) + "}",
             f"  valid_votes: {prev_valid}",
             "candidates:"]
    lines += [f"  - {{name: {person}, party: {party[0]}, votes: {v}}}" for person, party, v in zip(people, standing, votes)]
    lines += ["sources:", f"  - {{title: Synthetic result {name}, url: \"https://example.org/results/{q}-{r}\"}}"]
    winner_index = votes.index(max(votes))
    return "\n".join(lines) + "\n", blurb(rng, name, people[winner_index], standing[winner_index][1])


def slugify(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def generate(n: int, out: Path, seed: int = 2024, parties: int = len(PARTIES)) -> Path:
    """Write a complete content/ tree with `n` constituencies and `parties` parties to `out`; return it."""
    rng = random.Random(seed * 1_000_003 + n)
    listed = party_list(parties)
    if out.exists():
        shutil.rmtree(out)
    (out / "constituencies").mkdir(parents=True)
    (out / "site.yml").write_text(
        "title: Synthetic results\nelection: Synthetic general election\npolling_day: 2024-07-04\n"
        "area: Synthland\nbase_url: https://example.org/synth/\nprevious_election: 2019 (notional)\n"
        "updated: 2024-07-05\n")
    (out / "parties.yml").write_text("".join(
        f'{pid}: {{name: {name}, short: {short}, colour: "{colour}"{", kind: independent" if pid == "ind" else ""}}}\n'
        for pid, name, short, colour, _ in listed))
    (out / "overview.md").write_text(blurb(rng, "the country", "Everyone", "democracy"))
    columns = max(1, math.ceil(math.sqrt(n)))
    seen: set[str] = set()
    for i in range(n):
        name = seat_name(rng, i)
        while slugify(name) in seen:
            name += " X"
        seen.add(slugify(name))
        facts, text = constituency(rng, name, i % columns, i // columns, listed)
        (out / "constituencies" / f"{slugify(name)}.yml").write_text(facts)
        (out / "constituencies" / f"{slugify(name)}.md").write_text(text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of constituencies")
    parser.add_argument("--out", type=Path, default=Path("bench-content"), help="content folder to write")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--parties", type=int, default=len(PARTIES), help="how many parties (default 12)")
    args = parser.parse_args()
    generate(args.n, args.out, args.seed, args.parties)
    print(f"Wrote {args.n} constituencies to {args.out}/")


if __name__ == "__main__":
    main()
