"""Write a minimal Hugo site of the same shape as ours, for the yardstick (kept outside the project).

One page per seat (a results table with shares computed in the template, and the Markdown blurb)
plus an overview listing every seat, from the same content/ tree.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

SINGLE = """<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head><body><main><h1>{{ .Title }}</h1>
{{ $valid := 0 }}{{ range .Params.candidates }}{{ $valid = add $valid .votes }}{{ end }}
<table><caption>{{ .Title }} result</caption><thead><tr><th scope="col">Candidate</th><th scope="col">Party</th>
<th scope="col">Votes</th><th scope="col">Share</th></tr></thead><tbody>
{{ range sort .Params.candidates "votes" "desc" }}<tr><th scope="row">{{ .name }}</th><td>{{ .party }}</td>
<td>{{ lang.FormatNumber 0 .votes }}</td><td>{{ lang.FormatNumber 1 (div (mul 100.0 .votes) $valid) }}%</td></tr>
{{ end }}</tbody></table>{{ .Content }}<p><a href="{{ "/" | relURL }}">All results</a></p></main></body></html>
"""
LIST = """<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{{ .Site.Title }}</title></head>
<body><main><h1>{{ .Site.Title }}</h1>{{ .Content }}<table><tbody>
{{ range .Site.RegularPages.ByTitle }}{{ $top := index (sort .Params.candidates "votes" "desc") 0 }}
<tr><th scope="row"><a href="{{ .RelPermalink }}">{{ .Title }}</a></th><td>{{ $top.name }}</td><td>{{ $top.party }}</td></tr>
{{ end }}</tbody></table></main></body></html>
"""


def write_hugo_site(content: Path, site: Path) -> Path:
    """Write a Hugo site for `content` (our format) into `site`; return it."""
    if site.exists():
        shutil.rmtree(site)
    (site / "content").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "static").mkdir()
    (site / "static" / "style.css").write_text("body { font-family: system-ui; }\n")
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "Results"\n'
                                    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n')
    (site / "layouts" / "_default" / "single.html").write_text(SINGLE)
    (site / "layouts" / "index.html").write_text(LIST)
    (site / "content" / "_index.md").write_text((content / "overview.md").read_text())
    for facts in sorted((content / "constituencies").glob("*.yml")):
        data = yaml.safe_load(facts.read_text())
        front = {"title": data["name"], "candidates": data["candidates"]}
        blurb = facts.with_suffix(".md")
        body = blurb.read_text() if blurb.exists() else ""
        (site / "content" / f"{facts.stem}.md").write_text(f"{json.dumps(front)}\n\n{body}")
    return site
