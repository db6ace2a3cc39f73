"""Refitting what ``auto`` builds from search measurements (benchmarks/search_real.py)."""

from __future__ import annotations

import pytest

from benchmarks.search_real import fastest, params


def _row(kind: str, recall: float, p50: float, **extra) -> dict:
    return {"kind": kind, "recall_at_10": recall, "p50_ms": p50, **extra}


RESULT = {
    "vectors": "passages",
    "sizes": [
        {
            "vectors": 100_000,
            "rows": [
                _row("flat", 1.0, 20.0),
                _row("hnsw", 0.90, 0.1, M=16, efConstruction=40, efSearch=16),
                _row("hnsw", 0.97, 0.4, M=16, efConstruction=40, efSearch=64),
                _row("hnsw", 0.99, 0.9, M=32, efConstruction=80, efSearch=128),
                _row("ivf", 0.96, 0.6, nlist=632, nlist_per_sqrt=2, nprobe=16),
                _row("ivf", 0.99, 1.5, nlist=632, nlist_per_sqrt=2, nprobe=64),
            ],
        }
    ],
}


def test_the_fastest_setting_that_reaches_the_recall_target_is_chosen():
    assert fastest(RESULT["sizes"][0]["rows"], "hnsw")["efSearch"] == 64  # not 16: 0.90
    assert fastest(RESULT["sizes"][0]["rows"], "ivf")["nprobe"] == 16


def test_exact_search_is_kept_while_it_fits_the_budget_then_the_faster_type():
    fitted = params(RESULT, warm_ms=100.0)  # budget: 5 ms; flat: 0.2 microseconds a vector
    assert fitted["budget_ms"] == 5.0
    assert fitted["flat_max"] == 25_000
    assert fitted["above"] == "hnsw"
    assert fitted["hnsw"] == {"M": 16, "efConstruction": 40, "efSearch": 64, "recall_at_10": 0.97}
    assert fitted["ivf"] == {"nlist_per_sqrt": 2, "nprobe": 16, "recall_at_10": 0.96}


def test_a_type_that_misses_the_target_is_built_with_its_most_accurate_setting():
    rows = [
        r for r in RESULT["sizes"][0]["rows"] if r["kind"] != "hnsw" or r["recall_at_10"] < 0.95
    ]
    fitted = params({"vectors": "passages", "sizes": [{"vectors": 100_000, "rows": rows}]}, 100.0)
    assert fitted["above"] == "ivf"
    assert fitted["hnsw"] == {"M": 16, "efConstruction": 40, "efSearch": 16, "recall_at_10": 0.90}


def test_nothing_is_refitted_when_no_approximate_index_reaches_the_target():
    rows = [
        r for r in RESULT["sizes"][0]["rows"] if r["recall_at_10"] < 0.95 or r["kind"] == "flat"
    ]
    with pytest.raises(SystemExit, match="no approximate index reached"):
        params({"vectors": "passages", "sizes": [{"vectors": 100_000, "rows": rows}]}, 100.0)
