#!/usr/bin/env python3
"""Serve a static folder on 127.0.0.1 for local use and the end-to-end tests.

Unlike `python3 -m http.server`, this binds the loopback address only, sends
`application/wasm` for `.wasm` files (which `WebAssembly.instantiateStreaming`
requires) and sends `Cache-Control: no-store`, so a reload always fetches the
latest build.
"""

import argparse
import functools
import http.server
import signal
import sys
from pathlib import Path

HOST = "127.0.0.1"

MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler with fixed MIME types and caching disabled."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    quiet = False

    def log_request(self, code="-", size="-"):
        # Errors still go through log_error, which --quiet leaves on.
        if not self.quiet:
            super().log_request(code, size)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--port",
        type=int,
        default=8000,
        help="TCP port to listen on, from 1 to 65535 (default: 8000)",
    )
    parser.add_argument(
        "--directory",
        type=Path,
        default=Path("dist"),
        help="folder to serve (default: dist)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="log only failed requests, not every request",
    )
    arguments = parser.parse_args()
    if not 1 <= arguments.port <= 65535:
        parser.error(f"invalid --port {arguments.port}: use a number from 1 to 65535")
    if not arguments.directory.is_dir():
        parser.error(
            f"folder not found: {arguments.directory}; run ./scripts/build.sh first"
        )
    return arguments


def main():
    arguments = parse_arguments()
    StaticHandler.quiet = arguments.quiet
    handler = functools.partial(StaticHandler, directory=str(arguments.directory))
    try:
        server = http.server.ThreadingHTTPServer((HOST, arguments.port), handler)
    except OSError as error:
        print(
            f"serve.py: failed to listen on {HOST}:{arguments.port}: {error.strerror}; "
            "pass another --port",
            file=sys.stderr,
        )
        return 1

    # Playwright and shells stop the server with SIGTERM, so treat it like
    # Ctrl-C and close the socket before exiting.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    print(f"Serving {arguments.directory} at http://{HOST}:{arguments.port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        print("serve.py: stopped", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
