#!/usr/bin/env bash
# Measures the engine and records the numbers in BENCHMARKS.md. It builds
# the release binary and the criterion benchmarks first, so that nothing
# compiles while timing. Then it runs criterion (about 2 minutes), times the
# engine against the NumPy reference, checks that their numbers agree, and
# rewrites the generated section of BENCHMARKS.md.
#
# With --browser it then also measures the page, and with --browser-only it
# measures only the page. For the page it builds dist/ with scripts/build.sh
# and runs scripts/bench-browser.js in headless Chromium (about a minute).
# That script rewrites the generated part of the "Browser" section of
# BENCHMARKS.md.
#
# Installs NumPy with 'pip install --user' when it is missing, and says so.
# Other load on the machine slows every number; BENCHMARKS.md records the
# load average.
#
# Usage: scripts/bench.sh [--browser | --browser-only]
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

measure_engine=true
measure_browser=false
case "$*" in
  "") ;;
  --browser) measure_browser=true ;;
  --browser-only)
    measure_engine=false
    measure_browser=true
    ;;
  *) die "unknown arguments '$*': use none (engine only), --browser (engine and page) or --browser-only" ;;
esac
cd "$ROOT"

RESULTS="$ROOT/target/bench"
mkdir -p "$RESULTS"

# Builds dist/ and measures the page in headless Chromium.
measure_page() {
  "$ROOT/scripts/setup.sh" --browsers
  say "building dist/ for the page benchmarks"
  "$ROOT/scripts/build.sh"
  # Any later build or test run rewrites dist/, so the benchmarks serve a
  # copy that cannot change while they run.
  rm -rf "$RESULTS/site"
  cp -r "$ROOT/dist" "$RESULTS/site"
  say "measuring the page in headless Chromium (about a minute)"
  node scripts/bench-browser.js --site "$RESULTS/site" --output "$RESULTS/browser.json" \
    --update "$ROOT/BENCHMARKS.md"
}

if [[ "$measure_engine" == false ]]; then
  measure_page
  exit 0
fi

require_tool cargo "install Rust with rustup, https://rustup.rs"
require_tool python3 "install Python 3 with your package manager"

started=$(date +%s)

say "building the release binary and the benchmarks"
cargo build --release --bin layerwise
cargo bench --bench engine --no-run

if ! python3 -c 'import numpy' 2>/dev/null; then
  say "NumPy not found: installing it for this user with 'python3 -m pip install --user numpy'"
  python3 -m pip install --user numpy
fi

# Other processes slow every measurement. This only warns, because a
# shared machine may never be idle.
criterion_load=$(cut -d ' ' -f 1 /proc/loadavg)
if awk -v load="$criterion_load" 'BEGIN { exit !(load > 0.5) }'; then
  say "warning: the 1-minute load average is $criterion_load; other processes will slow the measurements"
fi

say "running the criterion benchmarks (about 2 minutes)"
cargo bench --bench engine 2>&1 | tee "$RESULTS/criterion.log"

say "timing the engine against NumPy and comparing their numbers"
python3 scripts/bench_numpy.py --runs 7 --output "$RESULTS/numpy.json"

say "updating BENCHMARKS.md"
python3 scripts/bench_report.py --since "$started" --numpy "$RESULTS/numpy.json" \
  --criterion-load "$criterion_load"

if [[ "$measure_browser" == true ]]; then
  measure_page
fi
