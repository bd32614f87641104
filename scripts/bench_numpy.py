"""Time the Rust engine against the NumPy reference and check their numbers.

For each weierstrass state (α = 0.5, p = 2; 1D N=4 L=10 and 2D N=3 L=6)
this script

1. runs `layerwise table ... --format json` and the NumPy reference
   (`benches/numpy_reference.py`) once each as a warm-up;
2. times both `--runs` times, alternating, and keeps the best run of each;
3. compares `error`, `error_standard_error`, `omega_sampled` and `omega` of
   every level and exits with status 1 if any relative difference exceeds
   1e-9.

The Rust time is the wall time of the whole command: process start, draft,
final numbers and JSON output. The start-up time alone (`layerwise help`)
is measured and reported beside it. The NumPy time is one call of
`compute_rows` in this process, after NumPy is imported.

It installs nothing: without NumPy it exits with a message.

Usage: python3 scripts/bench_numpy.py [--binary PATH] [--runs N] [--output FILE]
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benches"))

try:
    import numpy
except ImportError:
    sys.exit(
        "error: NumPy is not installed; install it with 'python3 -m pip install --user numpy' or run scripts/bench.sh"
    )

import numpy_reference  # noqa: E402 (needs the path set above)

# Largest accepted relative difference between engine and NumPy numbers.
TOLERANCE = 1e-9

FIELDS = ("error", "error_standard_error", "omega_sampled", "omega")

STATES = (
    {"id": "weierstrass_1d_n4_l10", "d": 1, "n": 4, "depth": 10},
    {"id": "weierstrass_2d_n3_l6", "d": 2, "n": 3, "depth": 6},
)
ALPHA = 0.5


def rust_command(binary, state):
    """Return the command line that prints the engine's table for `state`."""
    return [
        binary,
        "table",
        "--target",
        "weierstrass",
        "--d",
        str(state["d"]),
        "--n",
        str(state["n"]),
        "--depth",
        str(state["depth"]),
        "--alpha",
        str(ALPHA),
        "--p",
        "2",
        "--format",
        "json",
    ]


def run_rust(command, threads=None):
    """Run the engine once and return its wall time in seconds and its rows.

    With `threads`, LAYERWISE_THREADS limits the engine to that many threads;
    otherwise it uses every core.
    """
    environment = dict(os.environ)
    environment.pop("LAYERWISE_THREADS", None)
    if threads is not None:
        environment["LAYERWISE_THREADS"] = str(threads)
    start = time.perf_counter()
    completed = subprocess.run(
        command, capture_output=True, text=True, check=False, env=environment
    )
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        sys.exit(
            f"error: '{' '.join(command)}' failed with status {completed.returncode}: {completed.stderr.strip()}"
        )
    return elapsed, json.loads(completed.stdout)["rows"]


def run_numpy(state):
    """Run the NumPy reference once and return its time in seconds and its rows."""
    start = time.perf_counter()
    rows = numpy_reference.compute_rows(state["d"], state["n"], state["depth"], ALPHA)
    return time.perf_counter() - start, rows


def startup_seconds(binary, runs):
    """Return the best wall time of `layerwise help`, the process start-up."""
    best = float("inf")
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run([binary, "help"], stdout=subprocess.DEVNULL, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def relative_difference(a, b):
    """Return |a − b| / max(|a|, |b|), or 0 when both are 0."""
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0.0 else abs(a - b) / scale


def compare(state, rust_rows, numpy_rows):
    """Compare the rows and return the largest difference and where it occurs.

    Exits with status 1 when the row counts differ, a number is missing, or
    a difference exceeds `TOLERANCE`.
    """
    if len(rust_rows) != len(numpy_rows):
        sys.exit(
            f"error: {state['id']}: the engine printed {len(rust_rows)} rows, NumPy computed {len(numpy_rows)}"
        )
    largest = {"difference": 0.0, "level": None, "field": None}
    failures = []
    for rust_row, numpy_row in zip(rust_rows, numpy_rows):
        for field in FIELDS:
            rust_value = rust_row.get(field)
            numpy_value = numpy_row[field]
            if rust_value is None:
                sys.exit(
                    f"error: {state['id']} level {rust_row['level']}: the engine printed no finite '{field}'"
                )
            difference = relative_difference(rust_value, numpy_value)
            if difference > largest["difference"]:
                largest = {
                    "difference": difference,
                    "level": rust_row["level"],
                    "field": field,
                }
            if difference > TOLERANCE:
                failures.append(
                    f"  level {rust_row['level']} {field}: engine {rust_value!r}, NumPy {numpy_value!r}, relative difference {difference:.3e}"
                )
    if failures:
        print(
            f"error: {state['id']}: engine and NumPy differ by more than {TOLERANCE:g} relative:",
            file=sys.stderr,
        )
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)
    return largest


def load_average():
    """Return the 1-minute load average, or None where it is unavailable."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def main():
    parser = argparse.ArgumentParser(
        description="Time the Rust engine against the NumPy reference and check their numbers."
    )
    parser.add_argument(
        "--binary",
        default=os.path.join(ROOT, "target", "release", "layerwise"),
        help="release build of the command-line tool (default target/release/layerwise)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=7,
        help="timed runs of each side after one warm-up (default 7)",
    )
    parser.add_argument("--output", help="write the results as JSON to this file")
    arguments = parser.parse_args()
    if arguments.runs < 1:
        parser.error(f"--runs must be at least 1, got {arguments.runs}")
    if not os.access(arguments.binary, os.X_OK):
        sys.exit(
            f"error: {arguments.binary} is not an executable; build it with 'cargo build --release'"
        )

    results = {
        "runs": arguments.runs,
        "tolerance": TOLERANCE,
        "numpy_version": numpy.__version__,
        "python_version": platform.python_version(),
        "load_average_before": load_average(),
        "startup_seconds": startup_seconds(arguments.binary, arguments.runs),
        "states": [],
    }
    for state in STATES:
        command = rust_command(arguments.binary, state)
        _, rust_rows = run_rust(command)
        _, numpy_rows = run_numpy(state)
        _, single_rows = run_rust(command, threads=1)
        if single_rows != rust_rows:
            sys.exit(f"error: {state['id']}: one thread and all threads give different rows")
        rust_times = []
        single_times = []
        numpy_times = []
        for _ in range(arguments.runs):
            rust_times.append(run_rust(command)[0])
            single_times.append(run_rust(command, threads=1)[0])
            numpy_times.append(run_numpy(state)[0])
        largest = compare(state, rust_rows, numpy_rows)
        rust_best = min(rust_times)
        single_best = min(single_times)
        numpy_best = min(numpy_times)
        results["states"].append(
            {
                "id": state["id"],
                "command": " ".join(
                    os.path.relpath(part, ROOT) if part == arguments.binary else part
                    for part in command
                ),
                "rust_seconds": rust_times,
                "numpy_seconds": numpy_times,
                "rust_best": rust_best,
                "rust_single_seconds": single_times,
                "rust_single_best": single_best,
                "numpy_best": numpy_best,
                "ratio": numpy_best / rust_best,
                "ratio_single": numpy_best / single_best,
                "largest_difference": largest,
            }
        )
        print(
            f"{state['id']}: engine {rust_best * 1e3:.1f} ms "
            f"({single_best * 1e3:.1f} ms on one thread), NumPy {numpy_best * 1e3:.1f} ms "
            f"(best of {arguments.runs}), NumPy/engine {numpy_best / rust_best:.2f} "
            f"({numpy_best / single_best:.2f} on one thread); "
            f"largest relative difference {largest['difference']:.2e} "
            f"(level {largest['level']}, {largest['field']})"
        )
    results["load_average_after"] = load_average()
    results["date"] = datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%d %H:%M UTC"
    )
    print(
        f"engine process start-up (layerwise help): {results['startup_seconds'] * 1e3:.1f} ms"
    )

    if arguments.output:
        os.makedirs(os.path.dirname(os.path.abspath(arguments.output)), exist_ok=True)
        with open(arguments.output, "w", encoding="utf-8") as file:
            json.dump(results, file, indent=2)
            file.write("\n")


if __name__ == "__main__":
    main()
