"""Worker processes cannot hang a build: a dead reader is an error naming its file, and Ctrl-C
ends everything quickly with one line."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitegen import engine, workers
from sitegen.content import read as load
from sitegen.cli import main
from tests.conftest import PROJECT, read_tree, small_project_at


def test_a_reader_that_dies_is_an_error_naming_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = small_project_at(tmp_path / "project")
    seat = root / "content" / "constituencies" / "chesterfield.yml"
    seat.write_text(seat.read_text() + "# the reader dies here\n")
    parse = load.parse_yaml

    def dies_on_one_file(text: str, path: str):  # what being killed for memory looks like
        if "# the reader dies here" in text:
            os._exit(9)
        return parse(text, path)
    monkeypatch.setattr(load, "parse_yaml", dies_on_one_file)
    monkeypatch.setattr(workers, "READ_ON_CORES_FROM", 0)  # read the two seats on two cores
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    assert main(["--jobs", "2"], root=root, out=out, err=err) == 1
    assert time.perf_counter() - started < 10
    assert err.getvalue() == (
        "content/constituencies/chesterfield.yml: the process reading this file ended before it finished "
        "(out of memory, or stopped from outside)\n1 error in 1 file; nothing written.\n")
    assert sorted(p.name for p in root.iterdir() if p.name != ".cache") == ["content", "static", "templates"]


def test_ctrl_c_ends_the_build_and_its_workers_at_once_with_one_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    subprocess.run([sys.executable, str(PROJECT / "bench" / "generate.py"), "400", "--out", str(content)],
                   check=True, capture_output=True)
    dist = tmp_path / "dist"
    argv = [sys.executable, str(PROJECT / "build.py"), "--content", str(content), "--output", str(dist),
            "--cache", str(tmp_path / "cache")]
    assert subprocess.run(argv, capture_output=True).returncode == 0
    (content / "overview.md").write_text("Changed, so the next build has work to do.\n")
    published = read_tree(dist)
    for delay in (0.05, 0.3, 0.6):  # in start-up, while reading, while rendering
        build = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        build.send_signal(signal.SIGINT)
        sent = time.perf_counter()
        out, err = build.communicate(timeout=10)
        assert time.perf_counter() - sent < 3, delay  # by hand, 30 tries: 0.0 to 0.1 s
        if build.returncode == 0:  # it finished before the signal came
            published = read_tree(dist)
            continue
        if build.returncode == -signal.SIGINT:  # before Python itself had started: no line to print
            assert (out, err) == ("", "") and read_tree(dist) == published
            continue
        assert (build.returncode, out) == (130, ""), (delay, err)
        assert err in ("Interrupted: nothing written.\n",
                       f"Interrupted: nothing written; {dist.as_posix()}/ is as it was.\n"), (delay, err)
        assert read_tree(dist) == published
        assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "content", "dist"]
    leftover = subprocess.run(["pgrep", "-a", "-f", str(content)], capture_output=True, text=True).stdout
    assert leftover == ""  # no worker outlived its build
