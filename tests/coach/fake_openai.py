"""A small OpenAI-compatible server on loopback: /v1/chat/completions, plain and streamed (SSE),
scripted.

Each test queues what the server does next: a reply text, an HTTP status (with Retry-After), or a
body that is not the API's shape. Requests are recorded so a test can check what bagu sent.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Script:
    steps: list[Any] = field(default_factory=list)  # str reply | int status | ("raw", bytes)
    requests: list[dict[str, Any]] = field(default_factory=list)
    default: str = "默认回答 [1]"


def _handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: object) -> None:
            pass

        def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if status == 429:
                self.send_header("Retry-After", "0")
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            script.requests.append(
                {"path": self.path, "auth": self.headers.get("Authorization"), **body}
            )
            if self.path != "/v1/chat/completions":
                self._send(404, b'{"error": "not found"}')
                return
            step = script.steps.pop(0) if script.steps else script.default
            if isinstance(step, int):
                self._send(step, json.dumps({"error": {"message": f"status {step}"}}).encode())
            elif isinstance(step, tuple):
                self._send(200, step[1])
            elif body.get("stream"):
                self._stream(step)
            else:
                reply = {
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": step}}]
                }
                self._send(200, json.dumps(reply, ensure_ascii=False).encode())

        def _stream(self, text: str) -> None:
            events = [
                {"choices": [{"index": 0, "delta": {"content": text[i : i + 4]}}]}
                for i in range(0, len(text), 4)
            ]
            payload = (
                "".join(f"data: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events)
                + "data: [DONE]\n\n"
            )
            self._send(200, payload.encode(), "text/event-stream")

    return Handler


@contextmanager
def fake_openai(script: Script) -> Iterator[str]:
    """Serve `script` on 127.0.0.1 (a free port); yields the base URL ending in /v1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
