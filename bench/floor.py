"""The least a Python build of this shape can take: `python bench/floor.py CONTENT OUT [--jobs N]`.

Builds the same minimal site as the Hugo yardstick (bench/hugo_site.py: one page per seat with a
results table and the blurb, plus an overview listing every seat) with nothing else: libyaml's
C loader, Python-Markdown (tables, smart punctuation), one Jinja template, files written as they are made, and the seats shared
between `--jobs` forked processes. No validation, charts, data files, checks or atomic swap.
bench/run.py --floor times it beside our build, to show how much of our time is the stack's.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import jinja2
import markdown
import yaml

PAGE = jinja2.Template("""<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{{ name }}</title>
<link rel="stylesheet" href="../style.css"></head><body><main><h1>{{ name }}</h1>
<table><caption>{{ name }} result</caption><thead><tr><th scope="col">Candidate</th><th scope="col">Party</th>
<th scope="col">Votes</th><th scope="col">Share</th></tr></thead><tbody>
{% for c in candidates %}<tr><th scope="row">{{ c.name }}</th><td>{{ c.party }}</td>
<td>{{ "{:,}".format(c.votes) }}</td><td>{{ "%.1f"|format(100 * c.votes / valid) }}%</td></tr>
{% endfor %}</tbody></table>{{ blurb }}<p><a href="../">All results</a></p></main></body></html>
""", autoescape=True)
LIST = jinja2.Template("""<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Results</title></head>
<body><main><h1>Results</h1>{{ blurb }}<table><tbody>
{% for s in seats %}<tr><th scope="row"><a href="{{ s.slug }}/">{{ s.name }}</a></th><td>{{ s.top.name }}</td><td>{{ s.top.party }}</td></tr>
{% endfor %}</tbody></table></main></body></html>
""", autoescape=True)


MARKDOWN = markdown.Markdown(extensions=["tables", "smarty"], extension_configs={"smarty": {"smart_dashes": True}})


def to_html(text: str) -> str:
    """Return Markdown `text` as HTML, as our build converts blurbs (without its sanitiser)."""
    return MARKDOWN.reset().convert(text)


def build_seats(files: list[Path], out: Path) -> list[dict]:
    """Render and write the pages of `files`; return what the overview needs of each."""
    summaries = []
    for facts in files:
        data = yaml.load(facts.read_text(), Loader=yaml.CSafeLoader)
        candidates = sorted(data["candidates"], key=lambda c: -c["votes"])
        blurb = facts.with_suffix(".md")
        html = to_html(blurb.read_text()) if blurb.exists() else ""
        page = out / facts.stem
        page.mkdir()
        (page / "index.html").write_text(PAGE.render(
            name=data["name"], candidates=candidates, valid=sum(c["votes"] for c in candidates),
            blurb=jinja2.utils.markupsafe.Markup(html)))
        summaries.append({"slug": facts.stem, "name": data["name"], "top": candidates[0]})
    return summaries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    files = sorted((args.content / "constituencies").glob("*.yml"))
    args.out.mkdir(parents=True)
    shares = [files[i::args.jobs] for i in range(args.jobs)]
    readers = []
    for share in shares[1:]:  # each extra share in a forked child, which sends back its summaries
        read, write = os.pipe()
        if os.fork() == 0:
            os.close(read)
            with os.fdopen(write, "w") as pipe:
                json.dump(build_seats(share, args.out), pipe)
            os._exit(0)
        os.close(write)
        readers.append(read)
    summaries = build_seats(shares[0], args.out)
    for read in readers:
        with os.fdopen(read) as pipe:
            summaries.extend(json.load(pipe))
        os.wait()
    summaries.sort(key=lambda s: s["name"])
    overview = to_html((args.content / "overview.md").read_text())
    (args.out / "index.html").write_text(LIST.render(seats=summaries, blurb=jinja2.utils.markupsafe.Markup(overview)))
    (args.out / "style.css").write_text("body { font-family: system-ui; }\n")


if __name__ == "__main__":
    sys.exit(main())
