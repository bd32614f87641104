#!/usr/bin/env bash
# Runs every check of the project in order and stops at the first failure.
# The checks are formatting, Clippy (native and wasm32), the native tests,
# the wasm tests in headless Chromium, the optimised build, the Playwright
# end-to-end tests against dist/, and the bundle-size budget. It first
# installs what is missing, Chromium and ChromeDriver included.
#
# Usage: scripts/test.sh
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 0 ]] || die "test.sh takes no arguments, got '$*'"

# Gzipped size limit of the WebAssembly and JavaScript files in dist/.
BUNDLE_BUDGET_BYTES=350000

# Seconds that wasm-bindgen-test-runner waits for the browser to finish the
# tests (20 by default in version 0.2.130). The tests run a debug build of
# the engine, which is much slower than the release build.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-180}"

TOTAL_STEPS=9
step_number=0
step_names=()
step_seconds=()
run_start=$SECONDS

print_timings() {
  local index
  printf '\nStep timings:\n'
  for index in "${!step_names[@]}"; do
    printf '  %5ds  %s\n' "${step_seconds[$index]}" "${step_names[$index]}"
  done
  printf '  %5ds  total\n' "$((SECONDS - run_start))"
}

# Runs one step: prints a banner, runs the command, and records how long it
# took. On failure, prints the timings so far and which step failed, then
# exits with the command's status.
run_step() {
  local name="$1"
  shift
  step_number=$((step_number + 1))
  printf '\n======== [%d/%d] %s ========\n' "$step_number" "$TOTAL_STEPS" "$name"
  printf '$ %s\n' "$*"

  local start=$SECONDS status=0
  "$@" || status=$?
  step_names+=("$name")
  step_seconds+=("$((SECONDS - start))")

  if ((status != 0)); then
    print_timings
    printf '\nFAILED at step %d/%d: %s (exit status %d)\n' "$step_number" "$TOTAL_STEPS" "$name" "$status" >&2
    exit "$status"
  fi
}

run_wasm_tests() {
  CHROMEDRIVER="$CHROMEDRIVER_BIN" \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/scripts/webdriver.json" \
    cargo test --target wasm32-unknown-unknown --test web
}

# Prints a TCP port on 127.0.0.1 that is free now. Another process could take
# it before the server binds it, in which case Playwright fails with "already
# used" and a rerun picks another port.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

run_end_to_end_tests() {
  local port
  port="$(free_port)"
  echo "Serving dist/ for Playwright at http://127.0.0.1:$port/"
  LAYERWISE_E2E_PORT="$port" "$ROOT/node_modules/.bin/playwright" test
}

check_bundle_size() {
  local files size
  mapfile -t files < <(bundle_files "$ROOT/dist")
  ((${#files[@]} > 0)) || die "no .wasm or .js file in $ROOT/dist: the build step did not produce the site"
  size="$(gzipped_size "${files[@]}")"
  for file in "${files[@]}"; do
    printf '  %8d bytes gzipped  %s\n' "$(gzipped_size "$file")" "${file#"$ROOT"/}"
  done
  if ((size > BUNDLE_BUDGET_BYTES)); then
    echo "Bundle is $(format_kb "$size") gzipped ($size bytes), over the budget of $(format_kb "$BUNDLE_BUDGET_BYTES"): shrink the module or its dependencies" >&2
    return 1
  fi
  echo "Bundle is $(format_kb "$size") gzipped ($size bytes), within the budget of $(format_kb "$BUNDLE_BUDGET_BYTES")"
}

cd "$ROOT"
run_step "Install missing tools" "$ROOT/scripts/setup.sh" --browsers
run_step "Check formatting" cargo fmt --check
run_step "Clippy, native" cargo clippy --all-targets -- -D warnings
run_step "Clippy, wasm32" cargo clippy --lib --test web --target wasm32-unknown-unknown -- -D warnings
# Debug and --release took the same time from an empty target/ on 2 cores
# (48 s against 47 s), so the tests keep debug assertions and overflow checks.
run_step "Native tests" cargo test
run_step "wasm tests in headless Chromium" run_wasm_tests
run_step "Build dist/" "$ROOT/scripts/build.sh"
run_step "Playwright end-to-end tests" run_end_to_end_tests
run_step "Bundle-size budget" check_bundle_size

print_timings
printf '\nAll %d steps passed in %ds.\n' "$TOTAL_STEPS" "$((SECONDS - run_start))"
