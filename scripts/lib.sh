# shellcheck shell=bash
# Shell helpers shared by the scripts in this folder. Source it from bash:
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# It sets ROOT to the repository root and puts Cargo's bin folder on PATH.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

# rustup installs cargo and `cargo install` installs wasm-bindgen here, but a
# non-login shell (such as CI's) may not have it on PATH yet.
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
if [[ -d "$CARGO_BIN" && ":$PATH:" != *":$CARGO_BIN:"* ]]; then
  PATH="$CARGO_BIN:$PATH"
  export PATH
fi

# Debian's packages chromium and chromium-driver install these.
# shellcheck disable=SC2034 # used by the scripts that source this file
CHROMIUM_BIN=/usr/bin/chromium
# shellcheck disable=SC2034
CHROMEDRIVER_BIN=/usr/bin/chromedriver

# Prints a one-line message about the script's next action.
say() {
  printf '==> %s\n' "$*"
}

# Prints an error message to stderr and exits with status 1.
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Exits with a message naming TOOL unless TOOL is on PATH. The message ends
# with HINT, the way to install it.
require_tool() {
  local tool="$1" hint="$2"
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found on PATH: $hint"
}

# Prints the version of PACKAGE recorded in Cargo.lock, or nothing.
cargo_lock_version() {
  awk -v name="$1" '
    $0 == "name = \"" name "\"" { found = 1; next }
    found && /^version = / { gsub(/"/, "", $3); print $3; exit }
  ' "$ROOT/Cargo.lock"
}

# Prints, one per line, the WebAssembly and JavaScript files of the built
# site in DIST, which the bundle-size budget counts.
bundle_files() {
  find "$1" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.mjs' \) | sort
}

# Prints the gzipped size in bytes of the files given, summed.
gzipped_size() {
  local total=0 file size
  for file in "$@"; do
    size=$(gzip -9 -c "$file" | wc -c)
    total=$((total + size))
  done
  echo "$total"
}

# Prints a byte count in kB (1000 bytes) with one decimal.
format_kb() {
  awk -v bytes="$1" 'BEGIN { printf "%.1f kB", bytes / 1000 }'
}
