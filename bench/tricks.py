"""Does each speed trick pay for itself? `python bench/tricks.py [--sizes 11 650] [--runs 7]`.

For each trick in workers.py and output.py, the same cold build (a fresh `build.py` process, no
cache, no dist/) is timed with the trick and with it turned off, alternately, so that both see the
same machine. It prints the medians, the ratio, and the spread of the runs with the trick (the
noise): a trick earns its place only when it saves more than that spread. A benchmark, not a
test: it prints figures and asserts nothing.
"""
from __future__ import annotations

import argparse
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

# Each trick, and the lines that turn it off before the build runs (in the build's own process).
TRICKS = {
    "templates compiled (and cards drawn) on the spare core": (
        "from sitegen import workers\n"
        "workers.Executor.forks_for = (lambda original: lambda self, size, forks_from: "
        "False if (size, forks_from) == (1, 1) else original(self, size, forks_from))(workers.Executor.forks_for)\n"),
    "pages rendered on every core (200 outputs and more)": (
        "from sitegen import workers\nworkers.RENDER_ON_CORES_FROM = 10**9\n"),
    "files written on four threads": ("from sitegen import output\noutput.WRITE_THREADS = 1\n"),
}


def timed(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - started


def measure(n: int, runs: int, work: Path, only: str = "") -> list[tuple[str, float, float, float]]:
    content = generate(n, work / f"content-{n}")
    rows = []
    for trick, off in TRICKS.items():
        if only and only not in trick:
            continue
        script = work / "without.py"
        script.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n{off}"
                          f"from sitegen.cli import run\nsys.exit(run(sys.argv[1:], root=__import__('pathlib').Path({str(ROOT)!r})))\n")
        with_trick, without = [], []
        for _ in range(runs):
            for times, program in ((with_trick, str(ROOT / "build.py")), (without, str(script))):
                dist, cache = work / "dist", work / "cache"
                shutil.rmtree(dist, ignore_errors=True)
                shutil.rmtree(cache, ignore_errors=True)
                times.append(timed([sys.executable, program, "--content", str(content), "--output", str(dist),
                                    "--cache", str(cache)]))
        quartiles = statistics.quantiles(with_trick, n=4)
        rows.append((trick, statistics.median(with_trick), statistics.median(without), quartiles[2] - quartiles[0]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[11, 650])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", default="", help="only the tricks whose name has these words")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "sitegen")], check=True)
    print("| seats | trick | with s | without s | saved s | noise (IQR) s | verdict |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="sitegen-tricks-") as folder:
        for n in args.sizes:
            for trick, with_trick, without, noise in measure(n, args.runs, Path(folder), args.only):
                saved = without - with_trick
                verdict = "pays" if saved > noise else "within the noise"
                print(f"| {n} | {trick} | {with_trick:.3f} | {without:.3f} | {saved:+.3f} | {noise:.3f} | {verdict} |")


if __name__ == "__main__":
    main()
