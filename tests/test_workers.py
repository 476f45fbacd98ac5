"""Worker processes cannot hang a build: a dead worker is an error naming what ended, and Ctrl-C
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

from sitegen import workers
from sitegen.cli import main
from tests.conftest import PROJECT, read_tree, small_project_at


def test_a_worker_that_dies_is_an_error_not_a_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed mid-build (out of memory, or from outside) stops the build with one line."""
    from sitegen.site import routes
    root = small_project_at(tmp_path / "project")
    render = routes.render_seat_card

    def dies_on_one_card(r, page, card):  # what being killed for memory looks like
        if card.name == "Chesterfield" and workers.in_worker():  # (not while this process draws ahead)
            os._exit(9)
        return render(r, page, card)
    monkeypatch.setattr(routes, "render_seat_card", dies_on_one_card)
    monkeypatch.setattr(workers, "RENDER_ON_CORES_FROM", 0)  # render the small site on two cores
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    assert main(["--jobs", "2"], root=root, out=out, err=err) == 1
    assert time.perf_counter() - started < 10
    assert err.getvalue() == ("dist/: a process rendering the site ended before it finished (out of memory, or "
                              "stopped from outside)\n1 error in 1 file; nothing written.\n")
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
        if err.startswith("Fatal Python error: init_import_site"):  # in Python's own start-up, before
            assert build.returncode == 1 and read_tree(dist) == published  # build.py: not ours to word
            continue
        assert (build.returncode, out) == (130, ""), (delay, err)
        assert err in ("Interrupted: nothing written.\n",
                       f"Interrupted: nothing written; {dist.as_posix()}/ is as it was.\n"), (delay, err)
        assert read_tree(dist) == published
        assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "content", "dist"]
    leftover = subprocess.run(["pgrep", "-a", "-f", str(content)], capture_output=True, text=True).stdout
    assert leftover == ""  # no worker outlived its build


def test_a_ctrl_c_that_python_swallowed_still_stops_the_build_before_it_publishes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Python prints, and does not raise, an interrupt that lands in a hook it runs around fork();
    found by sending Ctrl-C at random moments: the build went on and published."""
    from sitegen import output
    root = small_project_at(tmp_path / "project")
    monkeypatch.setattr(output, "interrupt_asked", True)  # what the Ctrl-C handler had recorded
    out, err = io.StringIO(), io.StringIO()
    assert main([], root=root, out=out, err=err) == 130
    assert (out.getvalue(), err.getvalue()) == ("", "Interrupted: nothing written; dist/ is as it was.\n")
    assert sorted(p.name for p in root.iterdir() if p.name != ".cache") == ["content", "static", "templates"]
