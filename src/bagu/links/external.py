"""Check http(s) links: bounded concurrency, a per-host pace, timeouts, retries, and answers cached.

Opt-in (`bagu check --external`) because it is the one part of the link check that goes on the
network. HEAD first, GET when a server refuses HEAD; redirects are followed. A URL checked within
`max_age` is answered from the store's cache. Sites that refuse robots (401, 403, 429) are reported
as *blocked*, not as broken: the link may well work in a browser.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bagu import __version__
from bagu.store.links import ExternalAnswer

# httpx loads only when links are checked on the network (it costs every command 70 ms)
if TYPE_CHECKING:
    import httpx

OK, BROKEN, ERROR, BLOCKED = "ok", "broken", "error", "blocked"
_RETRY_STATUSES = {429, 500, 502, 503, 504}
_HEAD_REFUSED = {403, 405, 501}
_BLOCKED_STATUSES = {401, 403, 429}
_MAX_RETRY_AFTER_S = 10.0


@dataclass(frozen=True, slots=True)
class ExternalPolicy:
    concurrency: int = 8
    per_host_interval_s: float = 0.5  # at least this long between two requests to one host
    timeout_s: float = 10.0
    retries: int = 2
    backoff_s: float = 0.5
    max_age: timedelta = timedelta(hours=24)


def is_checkable(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https")


def is_fresh(answer: ExternalAnswer, now: datetime, max_age: timedelta) -> bool:
    return now - datetime.fromisoformat(answer.checked_at) < max_age


def classify(status: int) -> str:
    if status < 400:
        return OK
    if status in _BLOCKED_STATUSES:
        return BLOCKED
    return ERROR if status >= 500 else BROKEN


class _HostPacer:
    """Spaces out requests to each host: one at a time per host, `interval` seconds apart."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._locks: dict[str, asyncio.Lock] = {}
        self._last: dict[str, float] = {}

    async def wait(self, host: str) -> asyncio.Lock:
        lock = self._locks.setdefault(host, asyncio.Lock())
        await lock.acquire()
        delay = self._last.get(host, -1e9) + self.interval - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        return lock

    def done(self, host: str, lock: asyncio.Lock) -> None:
        self._last[host] = time.monotonic()
        lock.release()


async def _check_one(
    client: httpx.AsyncClient,
    url: str,
    policy: ExternalPolicy,
    pacer: _HostPacer,
    gate: asyncio.Semaphore,
) -> ExternalAnswer:
    import httpx

    host = urlsplit(url).netloc.lower()
    outcome, status, final, detail = ERROR, None, None, ""
    for attempt in range(policy.retries + 1):
        retry_after = policy.backoff_s * 2**attempt
        async with gate:
            lock = await pacer.wait(host)
            try:
                response = await client.head(url)
                if response.status_code in _HEAD_REFUSED:
                    async with client.stream("GET", url) as streamed:
                        response = streamed
                status, final = response.status_code, str(response.url)
                outcome, detail = classify(status), response.reason_phrase
                header = response.headers.get("retry-after", "")
                if header.isdigit():
                    retry_after = min(float(header), _MAX_RETRY_AFTER_S)
            except httpx.TimeoutException:
                outcome, status, detail = ERROR, None, f"no answer within {policy.timeout_s:g} s"
            except httpx.HTTPError as exc:
                outcome, status, detail = ERROR, None, f"{type(exc).__name__}: {exc}"
            finally:
                pacer.done(host, lock)
        if status is not None and status not in _RETRY_STATUSES:
            break
        if attempt < policy.retries:
            await asyncio.sleep(retry_after)
    checked_at = datetime.now(UTC).isoformat(timespec="seconds")
    return ExternalAnswer(url, outcome, status, final if final != url else None, detail, checked_at)


async def _check_all(
    urls: list[str], policy: ExternalPolicy, on_done: Callable[[ExternalAnswer], None] | None
) -> list[ExternalAnswer]:
    pacer, gate = _HostPacer(policy.per_host_interval_s), asyncio.Semaphore(policy.concurrency)
    headers = {"User-Agent": f"bagu/{__version__} (link checker)"}
    import httpx

    async with httpx.AsyncClient(
        timeout=policy.timeout_s, follow_redirects=True, headers=headers, trust_env=False
    ) as client:

        async def run(url: str) -> ExternalAnswer:
            answer = await _check_one(client, url, policy, pacer, gate)
            if on_done is not None:
                on_done(answer)
            return answer

        return list(await asyncio.gather(*(run(url) for url in urls)))


def check_urls(
    urls: Iterable[str],
    policy: ExternalPolicy = ExternalPolicy(),
    on_done: Callable[[ExternalAnswer], None] | None = None,
) -> list[ExternalAnswer]:
    """Check each distinct http(s) URL once; returns one answer per URL."""
    distinct = sorted({url for url in urls if is_checkable(url)})
    if not distinct:
        return []
    return asyncio.run(_check_all(distinct, policy, on_done))
