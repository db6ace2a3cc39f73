"""Which signals tell a question the documents answer from one they don't?

    python -m benchmarks.answerability   # ~4 minutes on 2 cores with a warm .fit-cache

The refusal decision is the confidence model's (qa_bot/selection.py). This measures, out of
fold (each SQuAD article and each own question set is scored by models fitted without it),
how well candidate signal sets separate:

- ``first quote right``: the first quote answers (what ``Answer.confidence`` estimates);
- ``answerable``: the question has an answer in the documents at all;

and how many unanswerable questions are refused at the threshold that refuses 3% of the
answerable ones, per collection (the shipped document's own sets; the SQuAD articles).

Signal sets:

- ``shipped``: the confidence model's features (``selection.CONFIDENCE_FEATURES``);
- ``+ missing terms``: also the idf-weighted share of the question's terms absent from the
  answer's sentence, and from its passage;
- ``+ layer-8 probe``: also a linear probe (fitted out of fold) on the cross-encoder's
  layer-8 [CLS] state for the winning pair: middle layers carry more than relevance;
- ``layer-8 probe alone``.

The fitting data are those of qa_bot/learned/fit.py; no held-out set is read.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from benchmarks.common import ROOT, save
from qa_bot.answer import features as fe
from qa_bot.answer.features import rerank_text
from qa_bot.answer.rerank import OnnxCrossEncoder, pair_feeds, reranker_folder
from qa_bot.answer.selection import load_model
from qa_bot.index.embedding import SentenceTransformerEmbedder
from qa_bot.learned.dataset import Example
from qa_bot.learned.fit import (
    first_hits,
    fitting_examples,
    folds,
    group_weights,
    out_of_fold,
)
from qa_bot.learned.logistic import fit_binary

LAYER = 8  # the ONNX graph's layer.8: the ninth of twelve
PROBE_L2 = 100.0  # 384 coefficients from a few thousand questions: strongly regularised
REFUSED_ANSWERABLE = 0.03


def main() -> dict[str, Any]:
    logging.basicConfig(level=logging.WARNING)
    model = load_model()
    found = fitting_examples(ROOT / ".fit-cache", SentenceTransformerEmbedder(), OnnxCrossEncoder())
    oof = out_of_fold(found, model.rerank_top, model.rerank_mass)
    labels = np.array([first_hits(e, r, model) for e, r in zip(found, oof, strict=True)])
    _, fold = folds(found)
    weight = group_weights(found)
    w = np.array([weight[e.group] for e in found])
    shipped = np.array([r.evidence for r in oof])
    missing = np.array([_missing(e, r.sentence_ids[0]) for e, r in zip(found, oof, strict=True)])
    winners = [(e, r.sentence_ids[0]) for e, r in zip(found, oof, strict=True)]
    states = _layer_states(winners, model.pairing)
    probe = _out_of_fold(states, labels, w, fold, PROBE_L2, logit=True)[:, None]
    signals = {
        "shipped": shipped,
        "+ missing terms": np.hstack([shipped, missing]),
        f"+ layer-{LAYER} probe": np.hstack([shipped, probe]),
        f"layer-{LAYER} probe alone": probe,
    }
    answerable = np.array([e.answerable for e in found])
    own = np.array(["squad" not in e.source for e in found])
    rows = []
    for name, x in signals.items():
        confidence = _out_of_fold(x, labels, w, fold, 1.0)
        for collection, inside in (("shipped document", own), ("SQuAD articles", ~own)):
            rows.append(
                {
                    "signals": name,
                    "collection": collection,
                    "questions": int(inside.sum()),
                    "unanswerable": int((inside & ~answerable).sum()),
                    "auc_first_quote_right": _auc(confidence[inside], labels[inside]),
                    "auc_answerable": _auc(confidence[inside], answerable[inside]),
                    "unanswerable_refused_at_3pct": _refused(
                        confidence[inside], answerable[inside]
                    ),
                }
            )
    print("| signals | collection | AUC first quote right | AUC answerable | "
          "unanswerable refused at 3% answerable refused |")  # fmt: skip
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['signals']} | {r['collection']} | {r['auc_first_quote_right']:.3f} | "
              f"{r['auc_answerable']:.3f} | {r['unanswerable_refused_at_3pct']:.3f} |")  # fmt: skip
    result = {"layer": LAYER, "probe_l2": PROBE_L2, "rows": rows}
    save("answerability", result)
    return result


def _missing(e: Example, sid: int) -> tuple[float, float]:
    """Shares (idf-weighted) of the question's collection terms absent from the sentence
    (with its speaker) and from its passage."""
    index = e.index
    weights = fe._term_weights(index, e.query.terms)
    seen = {t: v for t, v in weights.items() if index.sentence_bm25.term_idf(t) is not None}
    total = sum(seen.values())
    if not total:
        return 0.0, 0.0
    sentence, passage = fe._texts(index, sid)
    sentence |= fe._term_set(index.sentences[sid].speaker or "")
    families = fe._families(seen, [sentence, passage])
    out = [
        sum(v for t, v in seen.items() if families[t].isdisjoint(s)) for s in (sentence, passage)
    ]
    return out[0] / total, out[1] / total


def _layer_states(pairs: list[tuple[Example, int]], pairing: str) -> np.ndarray:
    """The cross-encoder's [CLS] state after layer LAYER for each (question, sentence)."""
    import onnx
    from onnx import TensorProto, helper

    from qa_bot.index.onnx_session import open_session

    graph = onnx.load(str(reranker_folder() / "model.onnx"))
    name = f"/bert/encoder/layer.{LAYER}/output/LayerNorm/Add_1_output_0"
    graph.graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, None))
    path = ROOT / ".fit-cache" / f"reranker-layer-{LAYER}.onnx"
    onnx.save(graph, str(path))
    session = open_session(path)
    tokenizer, _ = OnnxCrossEncoder().load()
    out = np.zeros((len(pairs), 384), dtype=np.float32)
    for i, (e, sid) in enumerate(pairs):
        pair = tokenizer.encode(e.query.text, rerank_text(e.index, sid, pairing))
        out[i] = session.run(None, pair_feeds([pair]))[1][0, 0]
    return out


def _out_of_fold(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, fold: np.ndarray, l2: float, logit: bool = False
) -> np.ndarray:
    names = tuple(f"x{i}" for i in range(x.shape[1]))
    out = np.zeros(len(y))
    for g in np.unique(fold):
        inside = fold == g
        m = fit_binary(names, x[~inside], y[~inside], w[~inside], l2=l2)
        out[inside] = m.logit(x[inside]) if logit else m.probability(x[inside])
    return out


def _auc(score: np.ndarray, positive: np.ndarray) -> float:
    """Probability that a positive scores above a negative (ties count half)."""
    pos, neg = score[positive], score[~positive]
    if not len(pos) or not len(neg):
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).mean()
    ties = (pos[:, None] == neg[None, :]).mean()
    return round(float(greater + ties / 2), 3)


def _refused(confidence: np.ndarray, answerable: np.ndarray) -> float:
    threshold = np.quantile(confidence[answerable], REFUSED_ANSWERABLE)
    return round(float((confidence[~answerable] < threshold).mean()), 3)


if __name__ == "__main__":
    main()
