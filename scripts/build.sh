#!/usr/bin/env bash
# Builds the optimised site into dist/: the engine compiled to WebAssembly,
# its wasm-bindgen JavaScript glue, wasm-opt on the module, and the static
# files of www/. Prints the gzipped size of the WebAssembly and JavaScript.
#
# Usage: scripts/build.sh
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 0 ]] || die "build.sh takes no arguments, got '$*'"

"$ROOT/scripts/setup.sh"

# The WebAssembly build uses Cargo.toml's `web` profile (link-time
# optimisation) when the manifest defines one, and `release` otherwise.
if grep -q '^\[profile\.web\]' "$ROOT/Cargo.toml"; then
  PROFILE=web
else
  PROFILE=release
fi
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
MODULE="$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/layerwise.wasm"
WASM_OPT="$ROOT/node_modules/.bin/wasm-opt"

# Rust 1.95 enables these WebAssembly features by default for
# wasm32-unknown-unknown, and the build below adds SIMD, so wasm-opt must
# accept them. When chosen with
# binaryen 132, -Oz gave the smallest module (256 kB before gzip, against
# 258 kB for -O3) and table_csv ran equally fast with both in Node 20.
WASM_OPT_FLAGS=(
  -Oz
  --enable-bulk-memory
  --enable-multivalue
  --enable-mutable-globals
  --enable-nontrapping-float-to-int
  --enable-reference-types
  --enable-sign-ext
  --enable-simd
)

say "Compiling the library for wasm32-unknown-unknown (profile $PROFILE)"
# 128-bit SIMD lets LLVM vectorise the engine's loops. In Chromium 156 it cut
# the page's refinement work by about 30 % (BENCHMARKS.md, "Browser").
# Chrome 91, Firefox 89 and Safari 16.4 and later support it.
(cd "$ROOT" && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128" \
  cargo build --profile "$PROFILE" --target wasm32-unknown-unknown --lib)

say "Generating the JavaScript glue with wasm-bindgen into www/pkg"
rm -rf "$ROOT/www/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$ROOT/www/pkg" "$MODULE"

say "Copying the static files of www/ into dist/"
rm -rf "$ROOT/dist"
mkdir -p "$ROOT/dist/pkg"
(
  cd "$ROOT/www"
  find . -path ./pkg -prune -o -type f \
    \( -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.svg' -o -name '*.png' -o -name '*.ico' \) \
    -exec cp --parents {} "$ROOT/dist/" \;
)
cp "$ROOT/www/pkg/layerwise.js" "$ROOT/dist/pkg/"

say "Optimising the module with wasm-opt ${WASM_OPT_FLAGS[0]} into dist/pkg"
"$WASM_OPT" "${WASM_OPT_FLAGS[@]}" "$ROOT/www/pkg/layerwise_bg.wasm" -o "$ROOT/dist/pkg/layerwise_bg.wasm"

mapfile -t bundle < <(bundle_files "$ROOT/dist")
size="$(gzipped_size "${bundle[@]}")"
say "Built dist/: WebAssembly and JavaScript are $(format_kb "$size") gzipped ($size bytes in ${#bundle[@]} files)"
