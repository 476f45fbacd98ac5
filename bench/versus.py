"""Two checkouts side by side: `python bench/versus.py OTHER [--sizes 11 650] [--runs 5] [--hugo]`.

A before-and-after on a shared, noisy machine: for each size it generates one synthetic site
(bench/generate.py of this checkout) and times, run by run, each checkout's cold build, its cold
build with the share images left undrawn (its bench/without_images.py), its warm build and, in a
process of its own, its preview's one-seat rebuild (its bench/run.py `one_seat_rebuilds`),
alternating the two checkouts inside every run so that a slow spell of the machine falls on both,
and with the disk's pending writes flushed before each timed build.
With --hugo, Hugo's cold build of the same site is timed in every run too. Prints one row per
checkout and size, medians, and the ratios the targets are written in. Asserts nothing.

OTHER is a checkout of an earlier commit, e.g. `git worktree add /tmp/before <commit>`.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from bench.run import hugo_binary, timed_process  # noqa: E402

ONE_SEAT = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from bench.run import one_seat_rebuilds
print(json.dumps(one_seat_rebuilds(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))))
"""


def cold_builds(checkout: Path, content: Path, work: Path) -> dict[str, float]:
    """Time one cold build with images and one without, then a warm build; return seconds and KiB."""
    dist, cache = work / "dist", work / "cache"
    options = ["--content", str(content), "--output", str(dist), "--cache", str(cache)]
    figures = {}
    for name, script in (("no images", checkout / "bench" / "without_images.py"), ("cold", checkout / "build.py")):
        shutil.rmtree(dist, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        os.sync()  # the last build's writes reach the disk before this one starts, not during it
        figures[name], figures["peak"] = timed_process([sys.executable, str(script)] + options)
    os.sync()
    figures["warm"] = timed_process([sys.executable, str(checkout / "build.py")] + options)[0]
    return figures


def one_seat(checkout: Path, content: Path, work: Path, rebuilds: int) -> list[float]:
    """Return the milliseconds of `rebuilds` one-seat preview rebuilds by `checkout`'s code."""
    shutil.rmtree(work / "serve", ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", ONE_SEAT, str(checkout), str(content), str(work / "serve"),
                           str(rebuilds)], capture_output=True, text=True, check=True, cwd=checkout)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="the other checkout (the 'before')")
    parser.add_argument("--sizes", type=int, nargs="+", default=[11, 650])
    parser.add_argument("--runs", type=int, default=5, help="alternating runs; medians are printed")
    parser.add_argument("--hugo", action="store_true", help="also time Hugo's cold build in every run")
    args = parser.parse_args()
    checkouts = {"before": args.other.resolve(), "after": ROOT}
    for checkout in checkouts.values():  # as an installed program has it (see bench/run.py)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(checkout / "sitegen")], check=True)
    binary = hugo_binary() if args.hugo else None
    rows = []
    with tempfile.TemporaryDirectory(prefix="sitegen-versus-") as folder:
        for n in args.sizes:
            content = generate(n, Path(folder) / f"content-{n}")
            figures: dict[str, dict[str, list[float]]] = {name: {} for name in checkouts}
            hugo: list[float] = []
            site = None
            if binary:
                from bench.hugo_site import write_hugo_site
                site = write_hugo_site(content, Path(folder) / f"hugo-{n}")
            for run in range(args.runs):
                order = list(checkouts.items()) if run % 2 == 0 else list(reversed(checkouts.items()))
                for name, checkout in order:
                    work = Path(folder) / f"{name}-{n}"
                    for key, value in cold_builds(checkout, content, work).items():
                        figures[name].setdefault(key, []).append(value)
                    figures[name].setdefault("one seat", []).extend(one_seat(checkout, content, work, 3))
                if binary and site:
                    shutil.rmtree(site / "public", ignore_errors=True)
                    shutil.rmtree(site / "resources", ignore_errors=True)
                    hugo.append(timed_process([str(binary), "--quiet", "-s", str(site), "-d", str(site / "public")])[0])
            for name in checkouts:
                f = {key: statistics.median(values) for key, values in figures[name].items()}
                row = {"": name, "seats": str(n), "cold s": f"{f['cold']:.3f}", "no images s": f"{f['no images']:.3f}",
                       "cold / no images": f"{f['cold'] / f['no images']:.2f}", "warm s": f"{f['warm']:.3f}",
                       "one seat ms": f"{f['one seat']:.1f}", "peak MiB": f"{f['peak'] / 1024:.0f}"}
                if hugo:
                    row["Hugo cold s"] = f"{statistics.median(hugo):.3f}"
                    row["warm / Hugo"] = f"{f['warm'] / statistics.median(hugo):.2f}"
                rows.append(row)
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(row[c] for c in columns) + " |")


if __name__ == "__main__":
    main()
