"""Help in the editor: JSON Schemas kept in step with the validator, and `new` scaffolding."""
from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
import yaml

from sitegen.cli import main
from sitegen.content.schema import SCHEMA_FOLDER, modeline, render_schemas
from tests.conftest import PROJECT


def test_schema_files_are_up_to_date() -> None:
    for name, text in render_schemas().items():
        committed = (PROJECT / SCHEMA_FOLDER / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} is stale: run `python3 build.py schemas` and commit the result"


def as_json(value):  # YAML dates and times become the strings editors typed
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def schema_for(path: Path) -> dict:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    relative = path.relative_to(PROJECT / "content").as_posix()
    assert first_line == modeline(relative)
    target = (path.parent / first_line.split("$schema=")[1]).resolve()
    return json.loads(target.read_text())


def content_files() -> list[Path]:
    content = PROJECT / "content"
    return [content / "site.yml", content / "parties.yml", *sorted((content / "constituencies").glob("*.yml"))]


@pytest.mark.parametrize("path", content_files(), ids=lambda p: p.name)
def test_every_content_file_names_its_schema_and_passes_it(path: Path) -> None:
    jsonschema.validate(as_json(yaml.safe_load(path.read_text())), schema_for(path))


def test_the_schema_underlines_what_the_validator_rejects() -> None:
    path = PROJECT / "content" / "constituencies" / "erewash.yml"
    data = as_json(yaml.safe_load(path.read_text()))
    data["candidates"][0]["votess"] = data["candidates"][0].pop("votes")
    with pytest.raises(jsonschema.ValidationError, match="votess"):
        jsonschema.validate(data, schema_for(path))
    data = as_json(yaml.safe_load(path.read_text()))
    data["candidates"][0]["votes"] = -3
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema_for(path))


def test_fields_have_descriptions_for_hover_help() -> None:
    schema = json.loads(render_schemas()["constituency.schema.json"])
    assert "electorate at this poll" in schema["properties"]["electorate"]["description"]
    assert "Votes won" in schema["$defs"]["Candidate"]["properties"]["votes"]["description"]


def run(root: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), root=root, out=out, err=err), out.getvalue(), err.getvalue()


def test_new_scaffolds_both_files_and_check_names_what_to_fill_in(project_copy: Path) -> None:
    code, out, _ = run(project_copy, "new", "Newtown & District")
    assert code == 0
    assert out.splitlines()[0] == ("Wrote content/constituencies/newtown-district.yml and "
                                   "content/constituencies/newtown-district.md.")
    facts = (project_copy / "content/constituencies/newtown-district.yml").read_text()
    assert facts.splitlines()[0] == "# yaml-language-server: $schema=../../docs/schemas/constituency.schema.json"
    for field in ("name:", "electorate:", "rejected:", "declared_at:", "hex:", "previous:", "winner:", "mp:",
                  "votes:", "valid_votes:", "candidates:", "sources:"):
        assert field in facts
    code, _, err = run(project_copy, "check")
    assert code == 1
    assert err.splitlines()[0] == ("content/constituencies/newtown-district.yml:11:10: previous.winner: is "
                                   "empty; fill it in (every field is described in docs/CONTENT.md)")
    assert "Traceback" not in err


@pytest.mark.parametrize("name", ["Bath: North #2", "Yes", "No", "0105", "O'Hara", "Ynys Môn", "\"Quoted\" Seat",
                                  "Argyll, Bute and South Lochaber", "null", "Seat {1}", "- Dash", "St. Albans"])
def test_new_writes_a_name_that_reads_back_as_typed(project_copy: Path, name: str) -> None:
    from sitegen.content.read import parse_yaml
    assert run(project_copy, "new", name)[0] == 0
    files = [p for p in (project_copy / "content/constituencies").glob("*.yml") if "REQUIRED" in p.read_text()]
    assert len(files) == 1
    parsed, error = parse_yaml(files[0].read_text(), "x.yml")
    assert error is None and parsed.data["name"] == name


def test_new_refuses_to_overwrite(project_copy: Path) -> None:
    before = (project_copy / "content/constituencies/erewash.yml").read_bytes()
    code, out, err = run(project_copy, "new", "Erewash")
    assert (code, out) == (1, "")
    assert err == ("content/constituencies/erewash.yml: already exists; nothing written "
                   "(edit it, or choose another name)\n")
    assert (project_copy / "content/constituencies/erewash.yml").read_bytes() == before


def test_new_needs_a_name(project_copy: Path) -> None:
    code, _, err = run(project_copy, "new")
    assert code == 2 and "new needs the constituency's name" in err


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_name_is_written_so_that_it_reads_back(text: str) -> None:
    """What `new` and `import` write for a name reads back as that name, in a block and in {...}."""
    from sitegen.content.read import parse_yaml
    from sitegen.content.fields import character_problem
    from sitegen.content.yamltext import flow_mapping, scalar
    name = " ".join(text.split())
    assume(name and character_problem(name) is None and all(c.isprintable() for c in name))
    assume(not any(0xD800 <= ord(c) <= 0xDFFF or ord(c) in (0xFFFE, 0xFFFF) for c in name))
    for document, read in ((f"name: {scalar(name, flow=False)}\n", lambda d: d["name"]),
                           (f"candidates:\n  - {flow_mapping({'name': name, 'party': 'lab'})}\n",
                            lambda d: d["candidates"][0]["name"])):
        parsed, error = parse_yaml(document, "x.yml")
        assert error is None, document
        assert str(read(parsed.data)) == name, document
