"""One way to open an ONNX model for this app's workload: small, varying shapes, many threads."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def open_session(path: Path, threads: int = 0) -> Any:
    """An onnxruntime CPU session for ``path`` running on ``threads`` threads (0: ONNX
    Runtime's default, one per core).

    Every question brings new input shapes (batch size, sentence length), and ONNX
    Runtime's memory-pattern planning keeps a plan per shape it has seen, which is off.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.enable_mem_pattern = False
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
