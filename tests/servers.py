"""WSGI apps served on a real socket (127.0.0.1, a free port) for tests; they stop by themselves."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

from formengine.population_service import QuietRequestHandler

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Server:
    """A WSGI app served on 127.0.0.1 at a free port in a thread, counting requests."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self.requests = 0
        self._server = make_server("127.0.0.1", 0, self._count, threaded=True,
                                   request_handler=QuietRequestHandler)
        self.url = f"http://127.0.0.1:{self._server.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()

    def _count(self, environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        self.requests += 1
        return self.app(environ, start)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


@pytest.fixture
def serve() -> Iterator[Callable[[WsgiApp], Server]]:
    servers: list[Server] = []

    def start(app: WsgiApp) -> Server:
        servers.append(Server(app))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def answering(status: int, body: bytes, delay: float = 0.0) -> WsgiApp:
    """A WSGI app giving every request ``status`` and ``body`` after ``delay`` seconds."""
    def app(environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        time.sleep(delay)
        start(f"{status} X", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
        return [body]
    return app
