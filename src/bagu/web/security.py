"""Secure by default: loopback hosts only, an optional access token, CSRF checks, strict headers.

- Host: the app answers only requests whose Host is exactly one of the names it was started for
  (`127.0.0.1`, `localhost`, `[::1]` and the `--host` value, each with the port it listens on), so a
  page elsewhere cannot reach it through DNS rebinding: `127.evil.com` and `localhost.evil.com`
  resolve to loopback but are not these names. Only a wildcard bind (0.0.0.0, ::), which needs the
  token anyway, answers any Host. A state-changing request's Origin must name one of them too.
- Token: required for every request when set (`--token`, mandatory off loopback); sent as
  `Authorization: Bearer …`, `X-Bagu-Token`, or the cookie that the login form sets.
- CSRF: a state-changing request (anything but GET/HEAD/OPTIONS) needs the per-process CSRF token
  in `X-CSRF-Token` (htmx sends it on every request) or a token sent in a header, which a foreign
  page cannot add; a foreign `Origin` is refused outright.
- Headers: a CSP with no inline script or style, no framing, no sniffing, no referrer.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from bagu.web.state import AppState

TOKEN_COOKIE = "bagu_token"
CSRF_HEADER = "X-CSRF-Token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_PATHS = frozenset({"/login", "/static/bagu.css"})
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# With remote images allowed, only images may come from elsewhere (and they are sent no referrer).
REMOTE_IMAGES_CSP = CSP.replace("img-src 'self' data:", "img-src 'self' data: https: http:")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

CallNext = Callable[[Request], Awaitable[Response]]


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host`: `localhost` or a loopback IP literal, never a
    name like `127.0.0.1.nip.io` that merely starts like one (DNS decides where that goes)."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> frozenset[tuple[str, int]] | None:
    """The (name, port) pairs a request's Host may carry; None for a wildcard bind, which answers
    any."""
    bound = host.strip("[]").lower()
    if bound in WILDCARD_HOSTS:
        return None
    return frozenset((name, port) for name in (*LOOPBACK_NAMES, bound))


def _authority(value: str) -> tuple[str, int] | None:
    """(host name, port) of a Host header or an Origin's netloc; None when it does not parse."""
    try:
        parts = urlsplit(f"//{value}")
        port = parts.port
    except ValueError:
        return None
    name = (parts.hostname or "").lower()
    return (name, 80 if port is None else port) if name else None


def same_token(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _header_token(request: Request) -> str | None:
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return request.headers.get("x-bagu-token")


def problem(status: int, title: str, detail: object) -> JSONResponse:
    """An RFC 9457 problem+json response, the API's one error shape."""
    return JSONResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status_code=status,
        media_type="application/problem+json",
    )


def _refusal(request: Request, state: AppState) -> Response | None:
    """Why this request may not proceed, as the response to send; None when it may."""
    config = state.config
    allowed = allowed_hosts(config.host, config.port)
    if allowed is not None and _authority(request.headers.get("host", "")) not in allowed:
        names = ", ".join(
            f"{name}:{config.port}" for name in dict.fromkeys((*LOOPBACK_NAMES, config.host))
        )
        return problem(421, "Misdirected Request", f"bagu answers only to {names}")
    header_token = _header_token(request)
    if config.token is not None and request.url.path not in PUBLIC_PATHS:
        cookie = request.cookies.get(TOKEN_COOKIE)
        if not (same_token(header_token, config.token) or same_token(cookie, config.token)):
            if request.method == "GET" and not request.url.path.startswith("/api/"):
                return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
            return problem(
                401, "Unauthorized", "send the token as 'Authorization: Bearer TOKEN' or log in"
            )
    if request.method not in SAFE_METHODS and request.url.path != "/login":
        origin = request.headers.get("origin")
        if origin is not None and not _same_origin(
            origin, request.headers.get("host", ""), allowed
        ):
            return problem(403, "Forbidden", f"cross-origin request from {origin} refused")
        token_in_header = config.token is not None and same_token(header_token, config.token)
        if not (token_in_header or same_token(request.headers.get(CSRF_HEADER), state.csrf_token)):
            return problem(
                403, "Forbidden", f"missing or wrong {CSRF_HEADER} header (GET /api/csrf gives it)"
            )
    return None


def _same_origin(origin: str, host: str, allowed: frozenset[tuple[str, int]] | None) -> bool:
    """An Origin naming this very server over http (`null`, another scheme or another name is
    foreign)."""
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or parts.path or parts.query:
        return False
    authority = _authority(parts.netloc)
    if authority is None or authority != _authority(host):
        return False
    return allowed is None or authority in allowed


def security_middleware(state: AppState) -> Callable[[Request, CallNext], Awaitable[Response]]:
    async def middleware(request: Request, call_next: CallNext) -> Response:
        response = _refusal(request, state) or await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if state.config.remote_images:
            response.headers["Content-Security-Policy"] = REMOTE_IMAGES_CSP
        if request.url.path.startswith("/api/") or request.method not in SAFE_METHODS:
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return middleware


def safe_next(target: str | None) -> str:
    """Only a path on this site: `//evil.example` and `https://…` become `/`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
