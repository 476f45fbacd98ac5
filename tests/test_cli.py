"""The command line: exit codes, output, and what it writes."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.cli import main
from tests.conftest import PROJECT, read_tree


def run(argv: list[str], root: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, root=root, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_build_writes_dist_and_reports(project_copy: Path) -> None:
    code, out, err = run([], project_copy)
    assert code == 0 and err == ""
    assert out.startswith("Built 37 pages and 112 other files into dist/: 149 written, 0 unchanged, ")
    assert (project_copy / "dist" / "derbyshire-dales" / "index.html").is_file()


def test_check_writes_nothing(project_copy: Path) -> None:
    code, out, err = run(["check"], project_copy)
    assert code == 0 and err == ""
    assert out.startswith("Checked 11 constituencies and 37 pages: no errors")
    assert not (project_copy / "dist").exists()


def test_content_error_exits_1_and_leaves_dist_as_it_was(project_copy: Path) -> None:
    assert run([], project_copy)[0] == 0
    before = read_tree(project_copy / "dist")
    seat = project_copy / "content" / "constituencies" / "erewash.yml"
    seat.write_text(seat.read_text().replace("votes: 17224", "votes: 17,224"))
    code, out, err = run([], project_copy)
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "content/constituencies/erewash.yml:17:67: candidates[0].224: unknown field '224': a number with a "
        "comma splits in two inside {...}; write numbers without commas (17224, not 17,224)",
        "1 error in 1 file; nothing written.",
    ]
    assert read_tree(project_copy / "dist") == before


def test_usage_error_exits_2(project_copy: Path, capsys) -> None:
    assert run(["publish"], project_copy)[0] == 2
    assert "invalid choice: 'publish'" in capsys.readouterr().err


def test_help_describes_every_command_and_option(capsys) -> None:
    from sitegen.cli import COMMANDS, make_parser
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    for name, (summary, _, _) in COMMANDS.items():
        assert f"    {name:<13}{summary.split()[0]}" in text
    commands = next(a for a in make_parser()._actions if a.dest == "command")
    assert sorted(commands.choices) == sorted(COMMANDS)  # every command has its entry, with help


@pytest.mark.parametrize("command, options", [
    ("build", ["--content", "--output", "--cache", "--jobs"]),
    ("check", ["--content", "--against"]),
    ("serve", ["--port", "--host", "--open"]),
    ("rehearse", ["--every", "--poll", "--recount", "--port"]),
    ("new", ["name"]),
    ("import", ["--notional", "--hexjson", "--seats", "--region", "--all", "--apply", "--area", "--area-type"]),
    ("schemas", []),
])
def test_each_command_has_help_with_examples(capsys, command: str, options: list[str]) -> None:
    from sitegen.cli import COMMANDS, make_parser
    assert main([command, "--help"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"usage: python3 build.py {command}")
    assert COMMANDS[command][1].splitlines()[0] in text
    assert "examples:\n  python3 build.py" in text
    for option in options:
        assert option in text
    sub = next(a for a in make_parser()._actions if a.dest == "command").choices[command]
    for action in sub._actions:  # every option says what it does
        assert action.help, (command, action.dest)


def test_build_py_entry_point_runs_from_anywhere(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(PROJECT / "build.py"), "check"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "no errors" in result.stdout


def test_content_and_output_options(project_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    code, out, _ = run(["--content", str(PROJECT / "tests" / "fixtures" / "small"),
                        "--output", str(target)], project_copy)
    assert code == 0
    assert sorted(p.name for p in target.iterdir() if p.is_dir()) == ["amber-valley", "assets", "chesterfield", "corrections", "embed", "find", "maps"]


def test_progress_bar_shows_on_a_terminal_and_is_erased() -> None:
    import time as clock
    from sitegen.cli import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    bar = ProgressBar(screen, ("reading content", "rendering pages"), after=0)
    bar.stage("rendering pages")
    clock.sleep(0.35)
    bar.close()
    frames = screen.getvalue().split("\r")
    assert any(f.startswith("[############------------] rendering pages...") for f in frames)
    assert screen.getvalue().endswith("\r\033[K")
    quiet = io.StringIO()  # not a terminal: nothing at all
    ProgressBar(quiet, ("x",), after=0).close()
    assert quiet.getvalue() == ""
