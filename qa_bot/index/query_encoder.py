"""The question encoder without PyTorch: an ONNX export of the embedding model.

Building embeds documents with sentence-transformers (PyTorch). Answering needs one short
question encoded, and importing PyTorch for that costs seconds, so a build also exports the
same model (transformer + mean pooling + L2 normalisation) to ONNX, stored beside the index
builds as ``query-encoder/`` and tied to the model's identity. Questions then run on
``onnxruntime`` + ``tokenizers``. Before it is trusted, an export must reproduce the vector
sentence-transformers gave a probe text (cosine >= MIN_COSINE); if it is missing or does not,
the bot falls back to sentence-transformers and says so once in the log.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import uuid
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from qa_bot.safe_json import JsonFileError, load_json, sealed_json

log = logging.getLogger(__name__)

FOLDER = "query-encoder"
META = "encoder.json"
MIN_COSINE = 0.999
PROBE = "What did the speakers call on Member States to do about trafficking in persons?"
OPSET = 17


class EncoderExportError(RuntimeError):
    """The export cannot be used (missing, another model, or not reproducing the model)."""


def check_exportable(st_model: object) -> None:
    """Raise EncoderExportError unless the model is transformer + mean pooling (+ normalize),
    the shape the ONNX question encoder reproduces."""
    kinds = [type(module).__name__ for module in st_model]  # type: ignore[attr-defined]
    pooling = st_model[1] if len(kinds) > 1 else None  # type: ignore[index]
    mode = getattr(pooling, "pooling_mode", None)  # sentence-transformers >= 5: "mean", ...
    if mode is None:  # older releases: one flag per mode
        flags = {m: getattr(pooling, f"pooling_mode_{m}", False)
                 for m in ("mean_tokens", "cls_token", "max_tokens", "mean_sqrt_len_tokens")}  # fmt: skip
        mode = "mean" if [m for m, on in flags.items() if on] == ["mean_tokens"] else str(flags)
    if kinds[:2] != ["Transformer", "Pooling"] or mode != "mean" or len(kinds) > 3:
        raise EncoderExportError(
            f"modules {kinds} (pooling {mode!r}) are not a mean-pooled transformer"
        )


def export(st_model: Any, model_id: str, root: Path) -> Path:
    """Export a loaded SentenceTransformer to ``root/query-encoder`` (atomically); its folder.

    Raises EncoderExportError when the model is not a plain mean-pooled transformer or the
    export does not reproduce it.
    """
    import torch

    check_exportable(st_model)
    transformer = st_model[0].auto_model.eval()
    max_len = int(st_model.max_seq_length or 256)

    class _Sentence(torch.nn.Module):
        """Transformer + attention-masked mean pooling + L2 normalisation, as the model does."""

        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            hidden = self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    tmp = root / f".tmp-{FOLDER}-{uuid.uuid4().hex[:6]}"
    tmp.mkdir(parents=True)
    try:
        sample = st_model.tokenizer(
            ["a probe", "a longer probe sentence"], padding=True, return_tensors="pt"
        )
        names = ["input_ids", "attention_mask", "token_type_ids"]
        axes = {n: {0: "batch", 1: "tokens"} for n in names} | {"embedding": {0: "batch"}}
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exporter's notes on its own internals
            torch.onnx.export(
                _Sentence().eval(), tuple(sample[n] for n in names), str(tmp / "model.onnx"),
                input_names=names, output_names=["embedding"], dynamic_axes=axes,
                opset_version=OPSET, dynamo=False,
            )  # fmt: skip
        (tmp / "tokenizer.json").write_text(
            st_model.tokenizer.backend_tokenizer.to_str(), encoding="utf-8"
        )
        reference = st_model.encode([PROBE], normalize_embeddings=True)[0]
        meta = {
            "model": model_id,
            "max_seq_length": max_len,
            "dim": int(reference.shape[0]),
            "probe": PROBE,
            "probe_vector": [round(float(v), 7) for v in reference],
            "files": {name: _file_record(tmp / name) for name in CHECKED_FILES},
        }
        (tmp / META).write_text(sealed_json(meta), encoding="utf-8")
        OnnxQueryEncoder.load(tmp, model_id)  # refuse an export that does not reproduce
        final = root / FOLDER
        old = root / f".old-{FOLDER}-{uuid.uuid4().hex[:6]}"
        if final.exists():
            os.rename(final, old)
        os.rename(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("exported the question encoder to %s", final)
    return final


CHECKED_FILES = ("model.onnx", "tokenizer.json")


class DamagedExportError(EncoderExportError):
    """The export's files are not the ones written (truncated, changed): export again."""


def _file_record(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def exported_for(root: Path) -> str | None:
    """The model identity of the export under ``root``, or None when there is none, its
    record (sealed by its checksum) is damaged, or its files do not have the sizes recorded
    at export (a truncated file): export again."""
    folder = root / FOLDER
    try:
        meta = load_json(folder / META, sealed=True)
        if not isinstance(meta, dict):
            return None
        files = meta.get("files", {})
        if not meta.get("error") and any(
            (folder / name).stat().st_size != record["bytes"] for name, record in files.items()
        ):
            return None
    except (OSError, JsonFileError, TypeError, KeyError):
        return None
    return meta.get("model")


def mark_unusable(root: Path, model_id: str, reason: str) -> None:
    """Record that this model cannot be exported, so builds stop retrying and the bot says why."""
    folder = root / FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / META).write_text(sealed_json({"model": model_id, "error": reason}), encoding="utf-8")


class OnnxQueryEncoder:
    """Encodes questions with the exported model; same vectors as sentence-transformers."""

    def __init__(self, session: Any, tokenizer: Any, model_id: str, dim: int) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self.model_id = model_id
        self._dim = dim

    @property
    def dim(self) -> int:
        return self._dim

    @classmethod
    def load(cls, folder: Path, model_id: str, threads: int = 0) -> OnnxQueryEncoder:
        """The export in ``folder`` if it is for ``model_id`` and reproduces its probe
        (run on ``threads`` threads, 0: one per core)."""
        from tokenizers import Tokenizer

        from qa_bot.index.onnx_session import open_session

        try:
            meta = load_json(folder / META, sealed=True)
            if meta.get("error"):
                raise EncoderExportError(f"the model could not be exported: {meta['error']}")
            if meta.get("model") != model_id:
                raise EncoderExportError(
                    f"{folder} holds an export of {meta.get('model')!r}, not {model_id!r}"
                )
            for name, record in meta.get("files", {}).items():
                if _file_record(folder / name) != record:
                    raise DamagedExportError(
                        f"{folder / name} is not the file exported (size or checksum differs)"
                    )
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            tokenizer.enable_truncation(int(meta["max_seq_length"]))
            tokenizer.enable_padding()
            session = open_session(folder / "model.onnx", threads)
            encoder = cls(session, tokenizer, model_id, int(meta["dim"]))
            probe = encoder.encode([str(meta["probe"])])[0]
            reference = np.asarray(meta["probe_vector"], dtype=np.float32)
        except EncoderExportError:
            raise
        except Exception as err:  # a missing, truncated or foreign file
            raise DamagedExportError(f"{folder} cannot be used: {err}") from None
        cosine = float(probe @ reference / (np.linalg.norm(reference) or 1.0))
        if cosine < MIN_COSINE:
            raise DamagedExportError(
                f"{folder} does not reproduce the model (cosine {cosine:.5f} < {MIN_COSINE})"
            )
        return encoder

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        parts = []
        for at in range(0, len(texts), batch_size):
            encoded = self._tokenizer.encode_batch(texts[at : at + batch_size])
            feeds = {
                "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
            }
            parts.append(self._session.run(None, feeds)[0])
        return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32)
