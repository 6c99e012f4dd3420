"""Serve a built site on localhost (``sqltrain docs --serve``): the standard library's file server."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

HOST = "127.0.0.1"  # never another interface: the site may describe private data


def make_server(root: Path, port: int = 8080) -> http.server.ThreadingHTTPServer:
    """A server for ``root`` on ``127.0.0.1:port`` (port 0: any free port; read ``server_port``)."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    return http.server.ThreadingHTTPServer((HOST, port), handler)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's signature
        pass
