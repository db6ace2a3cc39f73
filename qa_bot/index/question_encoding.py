"""Which encoder turns questions into vectors, and taking the export back once it heals.

Questions are encoded by the torch-free ONNX export in the index folder when it is good, else
by the embedder itself (the fallback, said once in the log). A running server must not stay
on the fallback for good: when a build writes the export anew, the next look (``heal``) takes
it. The fallback has the same model id as the export, so what says "written anew" is the
export's own record file changing (its inode, size or modification time).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from qa_bot.config import Settings
from qa_bot.index.embedding import Embedder
from qa_bot.index.query_encoder import (
    FOLDER,
    META,
    DamagedExportError,
    EncoderExportError,
    OnnxQueryEncoder,
    exported_for,
)

log = logging.getLogger(__name__)


class QuestionEncoding:
    """The encoder questions use now, chosen on first use and chosen again after a heal."""

    def __init__(self, embedder: Embedder, settings: Settings) -> None:
        self.embedder = embedder
        self.settings = settings
        self.note = ""  # why questions are not encoded by the export, when they are not
        self._encoder: Embedder | None = None
        self._seen: tuple[int, ...] | None = None  # the export's record when last tried

    @property
    def encoder(self) -> Embedder:
        """The export when the index folder holds a good one, else the embedder."""
        if self._encoder is None:
            self._encoder = self._choose()
        return self._encoder

    @property
    def name(self) -> str:
        """ "onnx" (the torch-free export), "sentence-transformers" (the fallback; ``note``
        says why), or the class of another embedder (tests' fakes)."""
        encoder = self.encoder
        if isinstance(encoder, OnnxQueryEncoder):
            return "onnx"
        if hasattr(self.embedder, "export_query_encoder"):
            return "sentence-transformers"
        return type(encoder).__name__

    def heal(self) -> None:
        """Choose again at the next question if the export was written anew since: another
        model's export, or any new export while on the fallback."""
        if self._encoder is None:
            return
        exported = exported_for(self.settings.index)
        on_export = isinstance(self._encoder, OnnxQueryEncoder)
        if (on_export and exported != self._encoder.model_id) or (
            not on_export and _stamp(self.settings.index) != self._seen
        ):
            log.info("the question encoder was exported anew; questions will use it")
            self._encoder = None

    def wants_export(self) -> bool:
        """On the fallback because the export was damaged (and removed), with none written
        since: a look should build, which exports it again."""
        return (
            bool(self.note)
            and self._encoder is not None
            and not isinstance(self._encoder, OnnxQueryEncoder)
            and not self.settings.read_only
            and exported_for(self.settings.index) is None
        )

    def _choose(self) -> Embedder:
        self._seen = _stamp(self.settings.index)
        self.note = ""
        if not hasattr(self.embedder, "export_query_encoder"):
            return self.embedder
        folder = self.settings.index / FOLDER
        try:
            return OnnxQueryEncoder.load(folder, self.embedder.model_id, self.settings.onnx_threads)
        except DamagedExportError as err:
            log.warning("encoding questions with sentence-transformers: %s", err)
            self.note = str(err)
            if not self.settings.read_only:  # the next build exports it again
                shutil.rmtree(folder, ignore_errors=True)
                self._seen = None
        except EncoderExportError as err:
            log.warning("encoding questions with sentence-transformers: %s", err)
            self.note = str(err)
        return self.embedder


def _stamp(root: Path) -> tuple[int, ...] | None:
    """The export record's identity (inode, size, modification time), None when absent."""
    try:
        st = (root / FOLDER / META).stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)
