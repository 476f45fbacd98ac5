"""JSON Schema for each content file, generated from the model the validator uses.

Editors' tools (VS Code's YAML extension and others) read these through the first line of each
content file, `# yaml-language-server: $schema=...`, to complete field names and underline mistakes.
"""
from __future__ import annotations

import json
from pathlib import Path

from sitegen.content.model import ConstituencyFacts, Party, PartyId, SiteInfo
from sitegen.content.fields import json_schema

SCHEMA_FOLDER = Path("docs") / "schemas"
SCHEMAS = {
    "site.schema.json": ("content/site.yml", SiteInfo),
    "parties.schema.json": ("content/parties.yml: the party registry, keyed by party id", dict[PartyId, Party]),
    "constituency.schema.json": ("content/constituencies/<slug>.yml", ConstituencyFacts),
}


def render_schemas() -> dict[str, str]:
    """Return each schema file's text, by file name."""
    out = {}
    for name, (title, model) in SCHEMAS.items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **json_schema(model)}
        schema["title"] = title
        out[name] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out


def write_schemas(root: Path) -> list[Path]:
    """Write the schema files under `root`/docs/schemas; return their paths."""
    folder = root / SCHEMA_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written


def modeline(content_file: str) -> str:
    """Return the first line that points a content file (path under content/) at its schema."""
    depth = content_file.count("/")
    name = "constituency" if content_file.startswith("constituencies/") else content_file.split(".")[0]
    return f"# yaml-language-server: $schema={'../' * (depth + 1)}{SCHEMA_FOLDER.as_posix()}/{name}.schema.json"
