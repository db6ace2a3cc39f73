"""Could a slice of the cross-encoder replace it? The first k of its 12 layers, with a head
fitted on their [CLS] state, against the whole model: cost and quality.

Cost: one pair per run on one thread, interleaved with the full model, as a share of its
time (ratios: the machine is noisy). Quality: among each SQuAD training question's
candidates that the shipped model reranks (the prerank's best rerank_top), how often the one
scored highest answers it. The head is a conditional logit over a question's candidates,
on the states alone or beside the prerank's logit, fitted by article (each article scored
by a head fitted on the others); the full model is used as shipped, and the prerank alone
(no cross-encoder, fitted on the same questions) is the floor.

    python -m benchmarks.rerank_layers [--per-article 60]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
from onnx.utils import Extractor

from benchmarks.common import save
from qa_bot.answer.features import rerank_text
from qa_bot.answer.ranking import prerank
from qa_bot.answer.rerank import OnnxCrossEncoder, pair_feeds, reranker_folder
from qa_bot.answer.selection import load_model
from qa_bot.index.embedding import SentenceTransformerEmbedder
from qa_bot.learned.dataset import Example, RerankCache, examples
from qa_bot.learned.fit import PAIRING, ROOT, SQUAD, _bot, _fit_prerank, group_weights
from qa_bot.learned.logistic import fit_choice
from qa_bot.questions import QuestionSet, read_squad, write_squad_corpus

LAYERS = (1, 2, 3, 6)
ROUNDS = 40
RIDGE = 0.01  # the head's L2 penalty on its standardised weights, per question
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]
log = logging.getLogger("benchmarks.rerank_layers")


def _layer_output(k: int) -> str:
    return f"/bert/encoder/layer.{k - 1}/output/LayerNorm/Add_1_output_0"


def _session(model: onnx.ModelProto | bytes | str, threads: int) -> ort.InferenceSession:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads, opts.inter_op_num_threads = threads, 1
    data = model.SerializeToString() if isinstance(model, onnx.ModelProto) else model
    return ort.InferenceSession(data, opts, providers=["CPUExecutionProvider"])


def _feeds(tokenizer: Any, question: str, text: str) -> dict[str, np.ndarray]:
    return pair_feeds([tokenizer.encode(question, text)])


def _examples(reranker: OnnxCrossEncoder, per_article: int) -> list[Example]:
    work = ROOT / ".fit-cache"
    cache = RerankCache(work / f"rerank-{PAIRING}.json", reranker, PAIRING)
    corpus = work / "squad" / "corpus"
    taken: dict[str, int] = {}
    items = []
    for item in write_squad_corpus(read_squad(SQUAD), corpus):
        if item.kind != "unanswerable" and taken.get(item.group, 0) < per_article:
            taken[item.group] = taken.get(item.group, 0) + 1
            items.append(item)
    bot = _bot(QuestionSet("squad", items, corpus), work, SentenceTransformerEmbedder(), cache)
    return examples(bot, items, "squad", cache)


def _pick_rate(questions: np.ndarray, labels: np.ndarray, scores: np.ndarray) -> float:
    picked = [
        labels[questions == q][np.argmax(scores[questions == q])]
        for q in np.unique(questions)
        if labels[questions == q].any()
    ]
    return float(np.mean(picked))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-article", type=int, default=60, help="answerable questions")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    reranker = OnnxCrossEncoder()
    tokenizer, _ = reranker.load()  # pairs tokenized exactly as the bot does
    full = onnx.load(str(reranker_folder() / "model.onnx"))
    extractor = Extractor(full)
    slices = {k: extractor.extract_model(INPUTS, [_layer_output(k)]) for k in LAYERS}

    # Cost: one thread, one pair of the bot's median length, interleaved.
    found = _examples(reranker, args.per_article)
    lengths, texts = [], []
    for e in found:
        for sid in e.sentence_ids[:5]:
            text = rerank_text(e.index, sid, PAIRING)
            texts.append((e.query.text, text))
            lengths.append(len(tokenizer.encode(e.query.text, text).ids))
    median_pair = texts[int(np.argsort(lengths)[len(lengths) // 2])]
    feeds = _feeds(tokenizer, *median_pair)
    timed = {k: _session(m, 1) for k, m in slices.items()} | {12: _session(full, 1)}
    times: dict[int, list[float]] = {k: [] for k in timed}
    for session in timed.values():
        session.run(None, feeds)
    for _ in range(ROUNDS):
        for k, session in timed.items():
            started = time.perf_counter()
            session.run(None, feeds)
            times[k].append(time.perf_counter() - started)
    ms = {k: statistics.median(v) * 1000 for k, v in times.items()}

    # Quality: [CLS] states of every layer in LAYERS for each reranked candidate.
    together = _session(extractor.extract_model(INPUTS, [_layer_output(k) for k in LAYERS]), 2)
    prerank_model = _fit_prerank(found, group_weights(found))
    rows: list[tuple[str, int, list[np.ndarray], bool, float]] = []
    no_reader: list[float] = []  # the prerank's own logits: no cross-encoder at all
    depth = load_model().rerank_top
    for n, e in enumerate(found):
        read = prerank(e.base, prerank_model, depth)
        no_reader += list(prerank_model.logit(e.base[read]))
        for j in read:
            sid = e.sentence_ids[j]
            states = together.run(None, _feeds(tokenizer, e.query.text,
                                               rerank_text(e.index, sid, PAIRING)))  # fmt: skip
            rows.append((e.group, n, [s[0, 0, :] for s in states], bool(e.labels[j]),
                         float(e.rerank[j])))  # fmt: skip
        if n % 100 == 0:
            log.info("%d/%d questions", n, len(found))
    groups = np.array([r[0] for r in rows])
    questions = np.array([r[1] for r in rows])
    labels = np.array([r[3] for r in rows])
    quality = {12: _pick_rate(questions, labels, np.array([r[4] for r in rows]))}
    quality[0] = _pick_rate(questions, labels, np.array(no_reader))
    with_prerank = {}
    for i, k in enumerate(LAYERS):
        states = np.stack([r[2][i] for r in rows])
        # The head alone, and with the prerank's logit beside it (as the rank model would).
        for x, into in ((states, quality), (np.column_stack([states, no_reader]), with_prerank)):
            names = tuple(f"x_{d}" for d in range(x.shape[1]))
            scores = np.zeros(len(rows))
            for group in np.unique(groups):
                held = groups == group
                # A choice among each question's candidates, as the rank model is fitted,
                # with a ridge: with 384 states and none the head overfits.
                asked = questions[~held]
                head = fit_choice(names, x[~held], asked, labels[~held],
                                  l2=RIDGE * len(np.unique(asked)))  # fmt: skip
                scores[held] = head.logit(x[held])
            into[k] = _pick_rate(questions, labels, scores)

    result = {
        "questions": len({q for q, lab in zip(questions, labels, strict=True) if lab}),
        "median_pair_tokens": int(np.median(lengths)),
        "layers": {
            str(k): {
                "ms_one_pair_one_thread": round(ms[k], 2),
                "share_of_full_cost": round(ms[k] / ms[12], 3),
                "picks_an_answer": round(quality[k], 3),
                "with_prerank": round(with_prerank[k], 3) if k in with_prerank else None,
            }
            for k in (*LAYERS, 12)
        },
        "prerank_alone_picks_an_answer": round(quality[0], 3),
    }
    print(f"no cross-encoder (the prerank alone): picks an answer for {quality[0]:.3f}")
    for k, row in result["layers"].items():
        both = f" (with the prerank: {row['with_prerank']:.3f})" if row["with_prerank"] else ""
        print(f"layers {k:>2}: {row['share_of_full_cost']:.3f} of the cost, "
              f"picks an answer for {row['picks_an_answer']:.3f}{both}")  # fmt: skip
    save("rerank_layers", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
