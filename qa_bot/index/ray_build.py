"""The build's reading and embedding as Ray Data work, on one machine or a cluster.

``qa-bot build --engine ray`` (or ``QA_BOT_BUILD_ENGINE=ray``): changed documents are read
and parsed by parallel Ray tasks, and their texts embedded by a pool of actors, each holding
one sentence-transformers model (``map_batches``). The results come back to this process,
which writes exactly the index the local build writes (same files, same atomic swap).
``QA_BOT_RAY_ADDRESS`` names a running cluster; unset, a local Ray is started with this
machine's CPUs and shut down after the build. A build with nothing to read never starts Ray.

Ray is an optional extra: ``pip install -e ".[ray]"``.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import numpy as np

from qa_bot.config import Settings
from qa_bot.index.build import read_document
from qa_bot.index.embedding import Embedder, SentenceTransformerEmbedder
from qa_bot.ingest.corpus import Document, DocumentError

log = logging.getLogger(__name__)

EXTRA = 'pip install -e ".[ray]"'
# Texts per actor call. Measured (benchmarks/ray_build.py, 100 synthetic documents, 3,565
# texts, 2 actors on 2 cores): 64 gave 134 texts/s, 256 gave 109 (fewer, larger tasks
# balance worse across actors).
BATCH_SIZE = 64


class RayUnavailableError(RuntimeError):
    """Ray is not installed or the cluster cannot be reached; says what to do."""


def require_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise RayUnavailableError(
            f"the Ray build engine needs Ray, which is not installed: {EXTRA}"
        ) from None
    return ray


class RayEngine:
    """Reads documents with Ray tasks and embeds texts with a Ray actor pool."""

    chunk = 1 << 62  # the pool takes every new text at once and balances it itself

    def __init__(self, settings: Settings, workers: int | None = None) -> None:
        self.settings = settings
        self.workers = workers
        self._started = False

    def _connect(self) -> Any:
        ray = require_ray()
        if not ray.is_initialized():
            address = self.settings.ray_address or None
            try:
                if address:
                    ray.init(address=address, include_dashboard=False, log_to_driver=False)
                else:
                    ray.init(num_cpus=os.cpu_count(), include_dashboard=False,
                             log_to_driver=False)  # fmt: skip
            except (ConnectionError, RuntimeError, ValueError) as err:
                raise RayUnavailableError(f"cannot start or reach Ray ({err})") from None
            self._started = True
            ray.data.DataContext.get_current().enable_progress_bars = False
            if not log.isEnabledFor(logging.INFO):  # the CLI without -v: no Ray chatter
                logging.getLogger("ray").setLevel(logging.WARNING)
        return ray

    def pool_size(self) -> int:
        """Embedding actors: one per CPU Ray has (each runs a model on one core)."""
        if self.workers:
            return self.workers
        return max(1, int(self._connect().available_resources().get("CPU", 1)))

    def read(self, settings: Settings, rels: list[str]) -> list[Document | DocumentError]:
        ray = self._connect()
        items = [{"order": i, "rel": rel} for i, rel in enumerate(rels)]
        ds = ray.data.from_items(items, override_num_blocks=min(len(items), 64))
        rows = ds.map(_read_row, fn_kwargs={"settings": settings}).take_all()
        return [row["result"] for row in sorted(rows, key=lambda r: r["order"])]

    def embedder(self, embedder: Embedder) -> Embedder:
        return _RayEmbedder(self, embedder)

    def close(self) -> None:
        """Shut down the local Ray this engine started (a named cluster stays up)."""
        if self._started and not self.settings.ray_address:
            require_ray().shutdown()
        self._started = False


def _read_row(row: dict[str, Any], settings: Settings) -> dict[str, Any]:
    return {"order": row["order"], "result": read_document(settings, row["rel"])}


class _RayEmbedder:
    """An Embedder whose ``encode`` runs on the engine's actor pool."""

    def __init__(self, engine: RayEngine, local: Embedder) -> None:
        self.engine = engine
        self.model_id = local.model_id
        self._local = local
        self.chunk = engine.chunk

    @property
    def dim(self) -> int:
        return self._local.dim

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        ray = self.engine._connect()
        pool = self.engine.pool_size()
        # Small inputs are spread over every actor; large ones go in BATCH_SIZE batches.
        batch = max(1, min(BATCH_SIZE, -(-len(texts) // pool)))
        ds = ray.data.from_items(
            [{"order": i, "text": t} for i, t in enumerate(texts)],
            override_num_blocks=max(1, min(-(-len(texts) // batch), 4 * pool)),
        )
        out = ds.map_batches(
            _EncodeActor,
            fn_constructor_kwargs={"model": self.engine.settings.model},
            batch_size=batch,
            concurrency=pool,
            num_cpus=1,
            batch_format="numpy",
        )
        orders, vectors = [], []
        for batch in out.iter_batches(batch_size=None, batch_format="numpy"):
            orders.append(batch["order"])
            vectors.append(batch["vector"])
        order = np.concatenate(orders)
        result = np.empty((len(texts), self.dim), dtype=np.float32)
        result[order] = np.concatenate(vectors)
        return result


class _EncodeActor:
    """One sentence-transformers model, loaded once per actor."""

    def __init__(self, model: str) -> None:
        import torch

        torch.set_num_threads(1)  # one core per actor; the pool is the parallelism
        self.embedder = SentenceTransformerEmbedder(model)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        _maybe_fail_for_test()
        vectors = self.embedder.encode([str(t) for t in batch["text"]])
        return {"order": batch["order"], "vector": vectors.astype(np.float32)}


def _maybe_fail_for_test() -> None:
    """Tests kill one actor mid-build: the first to find this file removes it and dies."""
    marker = os.environ.get("QA_BOT_TEST_KILL_ACTOR_FILE")
    if marker:
        try:
            os.remove(marker)
        except OSError:
            return
        os._exit(1)
