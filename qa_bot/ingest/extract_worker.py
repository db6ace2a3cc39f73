"""Extract PDF, HTML and Word text in a worker process with a time and memory limit.

A hostile file (a PDF page tree that loops, a Word file of millions of empty paragraphs)
can keep a parser busy for minutes, and a thread cannot be stopped. The worker process
can: past ``seconds`` it is ended and the file is skipped with that reason, and the next
file gets a fresh worker. The worker's address space is capped too, so a decompression
bomb ends as a MemoryError in the worker instead of swapping the server out.

The worker is a fresh interpreter (``python -m qa_bot.ingest.extract_worker``) fed over
its standard input, one file at a time. Unlike a multiprocessing pool it never imports the
caller's script: a script without ``if __name__ == "__main__":`` that builds an index
re-ran itself in a pool's worker, and each of its PDF, HTML and Word files was skipped
after the time limit. Nor is any model or lock of this process (PyTorch, ONNX Runtime, a
web server) copied into it.

The protocol: a request is a JSON line (``name``, ``max_chars``, ``size``) then ``size``
raw bytes; the reply is one JSON line: ``{"text", "pages"}``, ``{"none": true}`` (a text
format), or ``{"error", "kind"}``.
"""

from __future__ import annotations

import json
import logging
import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO

from qa_bot.clean import shown_name
from qa_bot.ingest.formats import TEXT_SUFFIXES, Extracted, ExtractionError, extract

log = logging.getLogger(__name__)

WORKER_MEMORY_BYTES = 4 << 30  # address space of the worker; reading a real file needs far less

_worker: _Worker | None = None
_lock = threading.Lock()


def extract_limited(name: str, raw: bytes, max_chars: int, seconds: float) -> Extracted | None:
    """``formats.extract`` within ``seconds`` (0: no limit, in this process)."""
    if name.lower().endswith(TEXT_SUFFIXES):
        return None
    if seconds <= 0:
        return extract(name, raw, max_chars)
    global _worker
    with _lock:
        if _worker is None or not _worker.alive():
            _worker = _Worker()
        try:
            reply = _worker.ask(name, raw, max_chars, seconds)
        except TimeoutError:
            log.warning(
                "%s: reading took over %g s; its worker is stopped", shown_name(name), seconds
            )
            _worker.stop()
            _worker = None
            raise ExtractionError(
                f"took more than {seconds:g} s to read (QA_BOT_MAX_READ_SECONDS)"
            ) from None
        except (EOFError, OSError) as err:  # the worker died (a signal, a crash)
            code = _worker.stop()
            _worker = None
            raise ExtractionError(f"its reader stopped ({err or f'exit code {code}'})") from None
    return _answer(reply)


def _answer(reply: dict[str, Any]) -> Extracted | None:
    """The worker's reply as this process would have had it from ``extract``."""
    if reply.get("none"):
        return None
    if "text" in reply:
        return Extracted(str(reply["text"]), tuple(int(p) for p in reply.get("pages", ())))
    kind, error = reply.get("kind"), str(reply.get("error", ""))
    if kind == "memory":
        raise ExtractionError("needs more memory to read than one document may use")
    if kind == "recursion":
        raise RecursionError(error)
    if kind == "extraction":
        raise ExtractionError(error)
    raise ExtractionError(f"cannot be read ({error})")


class _Worker:
    """One worker interpreter, asked one file at a time."""

    def __init__(self) -> None:
        # This qa_bot first on the worker's path, wherever the caller found it.
        home = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(p for p in (home, os.environ.get("PYTHONPATH", "")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "qa_bot.ingest.extract_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
            env={**os.environ, "PYTHONPATH": path},
        )
        self.buffer = b""

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, name: str, raw: bytes, max_chars: int, seconds: float) -> dict[str, Any]:
        """Send one file; its reply within ``seconds`` (TimeoutError past them, EOFError
        if the worker ends first)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        header = json.dumps({"name": name, "max_chars": max_chars, "size": len(raw)})
        self.process.stdin.write(header.encode() + b"\n" + raw)
        self.process.stdin.flush()
        deadline = time.monotonic() + seconds
        out = self.process.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([out], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(out, 1 << 16)
            if not chunk:
                raise EOFError
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def stop(self) -> int | None:
        """End the worker; its exit code."""
        self.process.kill()
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return None
        finally:
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()


def serve(requests: BinaryIO, replies: BinaryIO) -> None:
    """The worker's loop: read a request, extract, reply; until its input ends."""
    while True:
        line = requests.readline()
        if not line:
            return
        request = json.loads(line)
        raw = requests.read(request["size"])
        replies.write(json.dumps(_reply(request, raw)).encode() + b"\n")
        replies.flush()


def _reply(request: dict[str, Any], raw: bytes) -> dict[str, Any]:
    """What ``extract`` made of one file, or the kind of error it raised and why."""
    try:
        found = extract(str(request["name"]), raw, int(request["max_chars"]))
    except ExtractionError as err:
        return {"kind": "extraction", "error": str(err)}
    except MemoryError:
        return {"kind": "memory", "error": ""}
    except RecursionError as err:
        return {"kind": "recursion", "error": str(err)}
    except Exception as err:  # a parser's own failure on a hostile file
        return {"kind": "failed", "error": f"{type(err).__name__}: {err}"}
    if found is None:
        return {"none": True}
    return {"text": found.text, "pages": list(found.pages)}


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
    except (ImportError, ValueError, OSError):  # not on this platform: time still bounds it
        pass


if __name__ == "__main__":
    _limit_memory()
    serve(sys.stdin.buffer, sys.stdout.buffer)
