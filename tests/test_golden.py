"""Golden output: the two-seat fixture site must render exactly as tests/golden/small/.

After an intended change to the output, regenerate and review the diff in the same commit:
    UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from sitegen.engine import Site, build
from tests.conftest import PROJECT, project_paths, read_tree

GOLDEN = PROJECT / "tests" / "golden" / "small"


def pinned(files: dict) -> dict[str, str | bytes]:
    """Return the outputs that the golden copy pins (assets are pinned by their hashed names): text,
    and the drawn images byte for byte (Pillow is pinned to one version, fonts ship with the code)."""
    return {name: body for name, body in files.items() if not name.startswith("assets/")}


def read(path: Path) -> str | bytes:
    return path.read_bytes() if path.suffix in (".png", ".ico") else path.read_text(encoding="utf-8")


def test_small_site_matches_golden(small_build: Site) -> None:
    outputs = pinned(small_build.files)
    if os.environ.get("UPDATE_GOLDEN"):
        for old in [p for p in GOLDEN.rglob("*") if p.is_file() and p.relative_to(GOLDEN).as_posix() not in outputs]:
            old.unlink()  # an output the site no longer has (a card under its old name, say)
        for name, body in outputs.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            if isinstance(body, bytes):
                (GOLDEN / name).write_bytes(body)
            else:
                (GOLDEN / name).write_text(body, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): read(p) for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(outputs) == sorted(expected), "the set of output files changed"
    for name in sorted(outputs):
        if outputs[name] != expected[name] and isinstance(outputs[name], bytes):
            pytest.fail(f"{name} differs from the golden copy (UPDATE_GOLDEN=1 to accept after looking at it)")
        if outputs[name] != expected[name]:
            diff = "".join(difflib.unified_diff(expected[name].splitlines(True), outputs[name].splitlines(True),
                                                f"golden/{name}", f"built/{name}"))
            pytest.fail(f"{name} differs from the golden copy "
                        f"(UPDATE_GOLDEN=1 to accept after review):\n{diff}")


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = project_paths(PROJECT / "content", tmp_path / "one")
    second = project_paths(PROJECT / "content", tmp_path / "two")
    build(first)
    build(second)
    assert read_tree(first.dist) == read_tree(second.dist)
    build(first)  # rebuilding over an existing dist/ changes nothing either
    assert read_tree(first.dist) == read_tree(second.dist)
