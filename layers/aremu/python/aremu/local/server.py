"""The local stack's one HTTP server: sandbox routes first, then the API Gateway routes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from aremu.local.http import HttpRequest, HttpResponse, json_error, json_response
from aremu.local.log import logger

# API Gateway's own ceiling for a request payload.
MAX_REQUEST_BYTES = 10 * 1024 * 1024

Route = Callable[[HttpRequest], HttpResponse | None]


class LocalApp:
    """Ask each route table in turn; the first answer wins, none means 404."""

    def __init__(self, *route_tables: Route) -> None:
        self._route_tables = route_tables

    def handle(self, request: HttpRequest) -> HttpResponse:
        try:
            for table in self._route_tables:
                response = table(request)
                if response is not None:
                    return response
        except Exception:
            logger.exception("local stack failed on a request", extra={"path": request.path})
            return json_error(500, "the local stack failed on this request; see its log")
        # API Gateway's answer for a route it does not have.
        return json_response(404, {"message": "Not Found"})


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int) -> None:
        super().__init__((host, port), _RequestHandler)
        self.app: LocalApp | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start(self, app: LocalApp) -> None:
        self.app = app
        self._thread = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="aremu-local-http",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=30)
        self.server_close()


class _RequestHandler(BaseHTTPRequestHandler):
    # Keep-alive, so clients reuse a connection as they would with API Gateway.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm the body then waits
    # for the client's delayed ACK, about 40 ms on every keep-alive response.
    disable_nagle_algorithm = True
    server: LocalServer

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_OPTIONS(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        started = time.perf_counter()
        url = urlsplit(self.path)
        body = self._read_body()
        if body is None:
            response = json_error(413, "request body too large")
            self.close_connection = True
        elif self.server.app is None:
            response = json_error(503, "the local stack is starting")
        else:
            request = HttpRequest(
                method=self.command,
                path=url.path,
                query=url.query,
                headers=list(self.headers.items()),
                body=body,
                source_ip=self.client_address[0],
                protocol=self.request_version,
            )
            response = self.server.app.handle(request)
        self._write(response)
        # The path only: query strings carry verify tokens.
        logger.debug(
            "request served",
            extra={
                "method": self.command,
                "path": url.path,
                "status": response.status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )

    def _read_body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            return None
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                self.rfile.readline()
                return b"".join(chunks)
            total += size
            if total > MAX_REQUEST_BYTES:
                return None
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _write(self, response: HttpResponse) -> None:
        self.send_response(response.status)
        names = set()
        for name, value in response.headers:
            names.add(name.lower())
            self.send_header(name, value)
        if "content-type" not in names and response.body:
            self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        """Silenced: `_dispatch` logs each request, without its query string."""
