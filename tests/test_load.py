"""Loading content: values, positions, and the YAML we refuse."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sitegen.content.read import load_content, parse_yaml
from tests.conftest import FIXTURES, project_paths


def test_records_line_and_column_of_values_and_keys() -> None:
    parsed, error = parse_yaml("name: A\ncandidates:\n  - {name: B, votes: 12}\n", "f.yml")
    assert error is None
    assert parsed.data == {"name": "A", "candidates": [{"name": "B", "votes": 12}]}
    assert parsed.marks.values[("candidates", 0, "votes")] == (3, 22)
    assert parsed.marks.keys[("candidates", 0, "votes")] == (3, 15)
    assert parsed.marks.find(("candidates", 0, "missing")) == (3, 5)


def test_decimals_stay_exact_and_keys_stay_text() -> None:
    parsed, _ = parse_yaml("shares: {con: 63.8, lab: 26}\n2019: yes\nno: 1\n", "f.yml")
    assert parsed.data == {"shares": {"con": Decimal("63.8"), "lab": 26}, "2019": True, "no": 1}


def test_bom_and_crlf_read_like_plain_text(tmp_path: Path) -> None:
    content = tmp_path / "content"
    plain = content / "site.yml"
    content.mkdir()
    plain.write_bytes(b"title: T\nelection: E\n")
    first = load_content(project_paths(content, tmp_path / "dist", root=tmp_path))
    plain.write_bytes(b"\xef\xbb\xbftitle: T\r\nelection: E\r\n")
    second = load_content(project_paths(content, tmp_path / "dist", root=tmp_path))
    assert first.site.data == second.site.data == {"title": "T", "election": "E"}
    assert first.site.marks == second.site.marks


def test_loads_the_fixture_tree() -> None:
    raw = load_content(project_paths(FIXTURES / "small", Path("/nonexistent/dist")))
    assert raw.errors == []
    assert sorted(raw.constituencies) == ["amber-valley", "chesterfield"]
    assert sorted(raw.blurbs) == ["amber-valley"]
    assert raw.overview is not None and raw.site.data["area"] == "Testshire"


def test_editor_backup_files_are_ignored(tmp_path: Path) -> None:
    content = tmp_path / "content" / "constituencies"
    content.mkdir(parents=True)
    (content / ".amber-valley.yml.swp").write_bytes(b"\x00\x01")
    (content / "amber-valley.yml~").write_text("junk: [")
    raw = load_content(project_paths(tmp_path / "content", tmp_path / "dist", root=tmp_path))
    assert [e.path for e in raw.errors] == ["content/site.yml", "content/parties.yml", "content/constituencies"]
    assert raw.constituencies == {}


def test_a_site_without_constituencies_is_reported_where_it_lives(tmp_path: Path) -> None:
    content = tmp_path / "elsewhere"
    content.mkdir()
    raw = load_content(project_paths(content, tmp_path / "dist", root=tmp_path))
    assert [e.format() for e in raw.errors][-1] == (
        'elsewhere/constituencies: no constituency files found; add <slug>.yml files here '
        '(python3 build.py new "Name" starts one)')
