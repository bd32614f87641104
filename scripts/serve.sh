#!/usr/bin/env bash
# Builds the site and serves dist/ on http://127.0.0.1:PORT/ until Ctrl-C.
#
# Usage: scripts/serve.sh [--port N]    (default port: 8000)
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

port=8000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port)
      [[ $# -ge 2 ]] || die "--port needs a value, such as --port 8080"
      port="$2"
      shift 2
      ;;
    --port=*)
      port="${1#--port=}"
      shift
      ;;
    -h | --help)
      sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown option '$1': use --port N or --help" ;;
  esac
done
if ! [[ "$port" =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
  die "invalid port '$port': use a number from 1 to 65535"
fi

# build.sh runs setup.sh without --browsers first.
"$ROOT/scripts/build.sh"

say "Serving dist/ at http://127.0.0.1:$port/ (Ctrl-C stops)"
exec python3 "$ROOT/scripts/serve.py" --port "$port" --directory "$ROOT/dist"
