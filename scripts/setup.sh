#!/usr/bin/env bash
# Installs what the build and the tests need and is missing: the wasm32
# Rust target, rustfmt and clippy, wasm-bindgen-cli at the version in
# Cargo.lock, the npm packages of package-lock.json (binaryen's wasm-opt and
# Playwright) and, with --browsers, Debian's Chromium and ChromeDriver.
# Steps whose tool is present only check it, so a second run is cheap.
#
# Usage: scripts/setup.sh [--browsers]
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_browsers=false
for argument in "$@"; do
  case "$argument" in
    --browsers) install_browsers=true ;;
    -h | --help)
      sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown option '$argument': use --browsers or --help" ;;
  esac
done

check_base_tools() {
  say "Checking cargo, rustup, node, npm and python3"
  require_tool cargo "install Rust with rustup (rustup.rs)"
  require_tool rustup "install Rust with rustup (rustup.rs); a distribution's cargo cannot add the wasm32 target"
  require_tool node "install Node.js 20 or later"
  require_tool npm "install npm, which comes with Node.js"
  require_tool python3 "install Python 3, used to serve the built page"
}

install_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Rust target wasm32-unknown-unknown is installed"
  else
    say "Installing Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

install_rust_components() {
  if cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1; then
    say "Rust components rustfmt and clippy are installed"
  else
    say "Installing Rust components rustfmt and clippy"
    rustup component add rustfmt clippy
  fi
}

# Prints the version that a wasm-bindgen binary reports, or nothing.
installed_version() {
  "$1" --version 2>/dev/null | awk '{ print $2 }' || true
}

# wasm-bindgen fails on a module built by a different version of the
# wasm-bindgen crate, so the CLI must match Cargo.lock exactly.
install_wasm_bindgen_cli() {
  local expected
  expected="$(cargo_lock_version wasm-bindgen)"
  [[ -n "$expected" ]] || die "wasm-bindgen not found in $ROOT/Cargo.lock: run 'cargo generate-lockfile'"

  local cli runner
  cli="$(installed_version wasm-bindgen)"
  runner="$(installed_version wasm-bindgen-test-runner)"
  if [[ "$cli" == "$expected" && "$runner" == "$expected" ]]; then
    say "wasm-bindgen-cli $expected is installed, as Cargo.lock requires"
    return
  fi

  say "Installing wasm-bindgen-cli $expected to match Cargo.lock (found '${cli:-none}'; takes 2-3 minutes)"
  # No --locked: the lock file of wasm-bindgen-cli 0.2.130 pins
  # webpki-roots 1.0.11, which the crates.io index did not offer when tried.
  cargo install wasm-bindgen-cli --version "=$expected"

  cli="$(installed_version wasm-bindgen)"
  [[ "$cli" == "$expected" ]] ||
    die "wasm-bindgen on PATH is '${cli:-missing}' after the install, expected $expected: check that $CARGO_BIN comes first on PATH"
}

# `npm ci` always deletes node_modules, so it runs only when package.json or
# package-lock.json changed since the last successful install.
install_npm_packages() {
  local stamp="$ROOT/node_modules/.layerwise-install-stamp"
  local checksum
  checksum="$(cat "$ROOT/package.json" "$ROOT/package-lock.json" | sha256sum | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$checksum" &&
    -x "$ROOT/node_modules/.bin/wasm-opt" && -x "$ROOT/node_modules/.bin/playwright" ]]; then
    say "npm packages match package-lock.json"
    return
  fi

  say "Installing npm packages with npm ci (binaryen, @playwright/test; no browser download)"
  # Playwright would otherwise download its own browser builds, which this
  # project does not use: the tests run Debian's Chromium.
  (cd "$ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  echo "$checksum" >"$stamp"
}

# Prints the major version of a Chromium or ChromeDriver binary, or nothing.
major_version() {
  # Debian's chromium launcher script prints shell warnings on stderr.
  "$1" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9.]+' | head -n 1 | cut -d. -f1 || true
}

install_browsers() {
  if [[ -x "$CHROMIUM_BIN" && -x "$CHROMEDRIVER_BIN" ]]; then
    say "Chromium and ChromeDriver are installed"
  else
    say "Installing Debian's chromium and chromium-driver with apt-get"
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then
      command -v sudo >/dev/null 2>&1 ||
        die "$CHROMIUM_BIN or $CHROMEDRIVER_BIN is missing, and installing them needs root or sudo: run 'apt-get install chromium chromium-driver' as root"
      sudo=(sudo)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
    [[ -x "$CHROMIUM_BIN" && -x "$CHROMEDRIVER_BIN" ]] ||
      die "apt-get finished but $CHROMIUM_BIN or $CHROMEDRIVER_BIN is still missing"
  fi

  local browser driver
  browser="$(major_version "$CHROMIUM_BIN")"
  driver="$(major_version "$CHROMEDRIVER_BIN")"
  [[ -n "$browser" && "$browser" == "$driver" ]] ||
    die "Chromium major version '${browser:-unknown}' differs from ChromeDriver's '${driver:-unknown}': run 'apt-get install chromium chromium-driver' to update both"
}

check_base_tools
install_wasm_target
install_rust_components
install_wasm_bindgen_cli
install_npm_packages
if $install_browsers; then
  install_browsers
fi
