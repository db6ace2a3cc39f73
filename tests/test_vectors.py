"""The automatic FAISS index choice and each index type's search behaviour."""

import numpy as np
import pytest

from qa_bot.index import vectors as vec


def test_auto_choice_is_exact_up_to_the_fitted_threshold_then_the_fitted_type():
    fitted = vec.params()
    assert fitted["above"] in ("hnsw", "ivf") and fitted["flat_max"] > 0
    assert vec.choose_index_type(1) == "flat"
    assert vec.choose_index_type(fitted["flat_max"]) == "flat"
    assert vec.choose_index_type(fitted["flat_max"] + 1) == fitted["above"]
    assert vec.choose_index_type(10_000_000) == fitted["above"]


def test_each_approximate_index_is_built_with_the_fitted_parameters():
    data = np.random.default_rng(2).standard_normal((500, 16)).astype(np.float32)
    hnsw = vec.build(data, "hnsw")
    assert hnsw.hnsw.efSearch == vec.params()["hnsw"]["efSearch"]
    ivf = vec.build(data, "ivf")
    assert ivf.nprobe == vec.params()["ivf"]["nprobe"]
    assert ivf.nlist == int(vec.params()["ivf"]["nlist_per_sqrt"] * np.sqrt(500))


def test_an_explicit_index_type_wins():
    assert vec.choose_index_type(10, "hnsw") == "hnsw"
    assert vec.choose_index_type(10**7, "flat") == "flat"


@pytest.mark.parametrize("kind", ["flat", "hnsw", "ivf"])
def test_every_index_type_finds_the_query_itself_first(kind, tmp_path):
    rng = np.random.default_rng(1)
    data = rng.standard_normal((2000, 32)).astype(np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    index = vec.build(data, kind)
    vec.write(index, str(tmp_path / "x.faiss"))
    loaded = vec.read(str(tmp_path / "x.faiss"))
    hits = sum(int(vec.search(loaded, data[i], 5)[1][0] == i) for i in range(0, 2000, 50))
    assert hits >= 36  # of 40: approximate indexes may miss a few


def test_search_on_an_empty_or_small_index():
    index = vec.build(np.zeros((0, 8), dtype=np.float32), "flat")
    scores, ids = vec.search(index, np.ones(8, dtype=np.float32), 5)
    assert len(scores) == len(ids) == 0


def test_unknown_type_is_rejected():
    with pytest.raises(ValueError, match="unknown index type 'lsh'"):
        vec.build(np.zeros((1, 4), dtype=np.float32), "lsh")


def test_a_full_disk_while_faiss_writes_is_a_plain_os_error(tmp_path):
    import errno

    index = vec.build(np.eye(4, dtype=np.float32), "flat")
    with pytest.raises(OSError) as caught:
        vec.write(index, "/dev/full")
    assert caught.value.errno == errno.ENOSPC  # not FAISS's C++ assertion text
    vec.write(index, str(tmp_path / "ok.faiss"))
    assert vec.read(str(tmp_path / "ok.faiss")).ntotal == 4
