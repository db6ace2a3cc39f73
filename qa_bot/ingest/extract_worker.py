"""Extract PDF, HTML and Word text in a worker process with a time and memory limit.

A hostile file (a PDF page tree that loops, a Word file of millions of empty paragraphs)
can keep a parser busy for minutes, and a thread cannot be stopped. The worker process
can: past ``seconds`` it is ended and the file is skipped with that reason, and the next
file gets a fresh worker. The worker's address space is capped too, so a decompression
bomb ends as a MemoryError in the worker instead of swapping the server out.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from multiprocessing.pool import Pool

from qa_bot.ingest.formats import TEXT_SUFFIXES, Extracted, ExtractionError, extract

log = logging.getLogger(__name__)

WORKER_MEMORY_BYTES = 4 << 30  # address space of the worker; reading a real file needs far less

_pool: Pool | None = None
_lock = threading.Lock()


def extract_limited(name: str, raw: bytes, max_chars: int, seconds: float) -> Extracted | None:
    """``formats.extract`` within ``seconds`` (0: no limit, in this process)."""
    if name.lower().endswith(TEXT_SUFFIXES):
        return None
    if seconds <= 0:
        return extract(name, raw, max_chars)
    global _pool
    with _lock:
        if _pool is None:
            _pool = _new_pool()
        job = _pool.apply_async(extract, (name, raw, max_chars))
        try:
            return job.get(seconds)
        except multiprocessing.TimeoutError:
            log.warning("%s: reading took over %g s; its worker is stopped", name, seconds)
            _pool.terminate()
            _pool = None
            raise ExtractionError(
                f"took more than {seconds:g} s to read (QA_BOT_MAX_READ_SECONDS)"
            ) from None
        except MemoryError:
            raise ExtractionError("needs more memory to read than one document may use") from None


def _new_pool() -> Pool:
    # forkserver: a fresh interpreter forks the workers, so no model or lock of this
    # process (PyTorch, ONNX Runtime, a web server) is copied into them.
    context = multiprocessing.get_context("forkserver")
    return context.Pool(1, initializer=_limit_memory, maxtasksperchild=100)


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
    except (ImportError, ValueError, OSError):  # not on this platform: time still bounds it
        pass
