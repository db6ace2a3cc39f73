"""The learned selection model: fitting maths, the stored model file, its loading errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qa_bot.answer.features import BASE_FEATURES, RANK_FEATURES
from qa_bot.answer.ranking import prerank
from qa_bot.answer.selection import (
    CONFIDENCE_FEATURES,
    WEIGHTS,
    Logistic,
    SelectionModel,
    SelectionModelError,
    load_model,
)
from qa_bot.learned.logistic import fit_binary, fit_choice


def _choices(rng: np.random.Generator, true: np.ndarray, groups: int = 1500, size: int = 8):
    x = rng.normal(size=(groups * size, len(true)))
    group = np.repeat(np.arange(groups), size)
    y = np.zeros(len(x), dtype=bool)
    for g in range(groups):
        u = x[g * size : (g + 1) * size] @ true
        p = np.exp(u - u.max())
        y[g * size + rng.choice(size, p=p / p.sum())] = True
    return x, group, y


def test_conditional_logit_recovers_the_weights_that_made_the_choices():
    true = np.array([2.0, -1.0, 0.0])
    x, group, y = _choices(np.random.default_rng(0), true)
    model = fit_choice(("a", "b", "c"), x, group, y, l2=0.0)
    np.testing.assert_allclose(model.coef / model.scale, true, atol=0.15)


def test_logistic_regression_recovers_its_weights_and_is_reproducible():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(6000, 2))
    y = rng.random(6000) < 1 / (1 + np.exp(-(x @ [1.5, -0.5] + 0.3)))
    first = fit_binary(("a", "b"), x, y, l2=0.0)
    np.testing.assert_allclose(first.coef / first.scale, [1.5, -0.5], atol=0.12)
    again = fit_binary(("a", "b"), x, y, l2=0.0)
    assert first.to_dict() == again.to_dict()


def test_groups_without_an_answer_do_not_move_the_ranking_weights():
    true = np.array([1.0, 1.0])
    x, group, y = _choices(np.random.default_rng(2), true, groups=600)
    base = fit_choice(("a", "b"), x, group, y)
    extra_x = np.random.default_rng(3).normal(size=(80, 2))
    with_empty = fit_choice(
        ("a", "b"),
        np.vstack([x, extra_x]),
        np.r_[group, np.repeat(np.arange(600, 610), 8)],
        np.r_[y, np.zeros(80, dtype=bool)],
    )
    np.testing.assert_allclose(base.coef, with_empty.coef, atol=1e-6)


def test_shipped_model_matches_the_features_the_code_computes():
    model = load_model()
    assert model.prerank.features == BASE_FEATURES
    assert model.rank.features == RANK_FEATURES
    assert model.confidence.features == CONFIDENCE_FEATURES
    assert 0.0 < model.threshold < 1.0 and model.rerank_top >= 1
    assert model.fitted["script"] == "python -m qa_bot.learned.fit"


def test_model_file_round_trips_through_json(tmp_path):
    model = load_model()
    path = tmp_path / "selection.json"
    model.save(path)
    again = load_model(path)
    assert again.to_dict() == model.to_dict()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot be read"),
        ("{not json", "not valid JSON"),
        (json.dumps({"format": "other"}), "not a selection model"),
        ("[]", "not a selection model"),
    ],
)
def test_a_broken_model_file_is_a_clear_error_that_says_how_to_refit(tmp_path, content, message):
    path = tmp_path / "selection.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(SelectionModelError, match=message) as err:
        load_model(path)
    assert "make fit" in str(err.value)


def test_a_model_whose_features_disagree_with_the_code_is_refused(tmp_path):
    data = json.loads(WEIGHTS.read_text())
    data["confidence"]["features"] = ["something_else", *data["confidence"]["features"][1:]]
    path = tmp_path / "selection.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SelectionModelError, match="features"):
        load_model(path)
    assert isinstance(load_model(), SelectionModel)


def test_fitting_runs_end_to_end_and_writes_a_loadable_model(tmp_path, tiny_settings, fake):
    from qa_bot.bot import QABot
    from qa_bot.learned.dataset import RerankCache, examples
    from qa_bot.learned.fit import fit
    from qa_bot.questions import Item
    from tests.conftest import FakeCrossEncoder

    reranker = FakeCrossEncoder()
    bot = QABot(tiny_settings, fake, reranker)
    asked = [
        ("How much did fish numbers fall?", ("40%",)),
        ("What did the council approve?", ("approved a plan",)),
        ("Who is the Director of the Water Agency?", ("Jane Doe",)),
        ("What rose after the wetlands were restored?", ("Bird counts",)),
        ("What did the Mayor promise?", ("promised funding",)),
        ("Where did the river council meet?", ("Springfield",)),
        ("What did Jane Doe warn about?", ("pollution doubled",)),
        ("What is the capital of France?", ()),
        ("How many cars were sold?", ()),
    ]
    items = [
        Item(f"q{i}", "factoid" if gold else "unanswerable", q, gold, group=f"g{i % 3}")
        for i, (q, gold) in enumerate(asked)
    ]
    cache = RerankCache(tmp_path / "cache.json", reranker, "speaker")
    found = examples(bot, items, "tiny", cache)
    assert len(found) == len(items) and (tmp_path / "cache.json").exists()
    model, validation = fit(found, reranker.model_id)
    assert 0.0 <= model.threshold <= 1.0 and model.rerank_top >= 1
    assert validation[0].n == len(items)
    path = tmp_path / "selection.json"
    model.save(path)
    assert load_model(path).to_dict() == model.to_dict()
    # The cache answers a refit without the cross-encoder.
    calls = reranker.calls
    examples(bot, items, "tiny", RerankCache(tmp_path / "cache.json", reranker, "speaker"))
    assert reranker.calls == calls


def test_refusal_is_compared_at_a_stated_share_of_answerable_questions_refused():
    from qa_bot.evaluate import Record, refusal_at
    from qa_bot.questions import Item
    from qa_bot.types import Answer

    def record(kind: str, confidence: float, lacks: str = "") -> Record:
        item = Item("q", kind, "Q?", ("x",) if kind != "unanswerable" else ())
        return Record(item, Answer("Q?", True, confidence=confidence, lacks=lacks), 0.5)

    # Ten answerable questions; one is refused by a rule (it lacks the asked kind).
    answerable = [record("factoid", c) for c in (0.1, 0.2, 0.6, 0.7, 0.8, 0.9, 0.9, 0.9, 0.95)]
    answerable.append(record("factoid", 0.99, lacks="no place is named"))
    unanswerable = [record("unanswerable", c) for c in (0.05, 0.15, 0.3, 0.65)]
    # 0.3 of the answerable may be refused: the rule's one and the two least confident.
    point = refusal_at(answerable + unanswerable, 0.3)
    assert point["threshold"] == 0.6
    assert point["answerable_refused"] == 0.3
    assert point["unanswerable_refused"] == 0.75  # all but the one at 0.65
    # A target the rules alone already exceed refuses nothing more by confidence.
    assert refusal_at(answerable + unanswerable, 0.05) == {
        "threshold": 0.0,
        "answerable_refused": 0.1,
        "unanswerable_refused": 0.0,
    }


def test_question_files_of_every_shape_load_with_their_corpus(tmp_path):
    from qa_bot.questions import QuestionSetError, load_set

    squad_file = tmp_path / "mini-squad.json"
    squad_file.write_text(
        json.dumps(
            {
                "version": "v2.0",
                "data": [
                    {
                        "title": "River_(water)",
                        "paragraphs": [
                            {
                                "context": "The river  is long.\nIt  flows north.",
                                "qas": [
                                    {"id": "a", "question": "How does it flow?",
                                     "answers": [{"text": "flows north", "answer_start": 24}],
                                     "is_impossible": False},
                                    {"id": "b", "question": "Who owns it?", "answers": [],
                                     "is_impossible": True},
                                ],
                            }
                        ],
                    }
                ],
            }
        )
    )  # fmt: skip
    qs = load_set(squad_file, tmp_path / "work")
    assert [i.kind for i in qs.items] == ["factoid", "unanswerable"]
    assert qs.items[0].gold == ("flows north",) and qs.items[0].group == "River_(water)"
    doc = (qs.corpus / "River__water.md").read_text()
    assert doc == "# River (water)\n\nThe river is long. It flows north.\n"

    folder = tmp_path / "set"
    (folder / "docs").mkdir(parents=True)
    (folder / "questions.json").write_text(
        json.dumps({"corpus": "docs", "questions": [{"question": "Q?", "gold": ["x"]}]})
    )
    qs = load_set(folder / "questions.json", tmp_path / "work")
    assert qs.name == "set" and qs.corpus == (folder / "docs").resolve()
    (folder / "broken.json").write_text(json.dumps({"corpus": "nowhere", "questions": []}))
    with pytest.raises(QuestionSetError, match="corpus folder"):
        load_set(folder / "broken.json", tmp_path / "work")


def _scorer(n_features: int = 1) -> Logistic:
    """A prerank whose logit is the first column."""
    coef = np.zeros(n_features)
    coef[0] = 1.0
    return Logistic(tuple(f"f{i}" for i in range(n_features)), np.zeros(n_features),
                    np.ones(n_features), coef, 0.0)  # fmt: skip


def test_a_sure_prerank_sends_two_pairs_an_unsure_one_the_full_depth():
    sure = np.array([[12.0], [0.0], [0.5], [-1.0], [0.2], [0.1]])
    unsure = np.zeros((6, 1))
    model = _scorer()
    assert list(prerank(sure, model, top=5, mass=0.9)) == [0, 2]  # at least two, best first
    assert len(prerank(unsure, model, top=5, mass=0.9)) == 5  # never beyond the cap
    assert len(prerank(unsure, model, top=5, mass=0.5)) == 3  # half the mass: 3 of 6
    assert len(prerank(sure, model, top=5, mass=1.0)) == 5  # mass 1: the fixed depth
    assert len(prerank(sure[:1], model, top=5, mass=0.5)) == 1  # fewer candidates than two


def test_the_reading_depth_round_trips_and_bad_values_are_refused():
    model = load_model()
    again = SelectionModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again.rerank_mass == model.rerank_mass and 0 < again.rerank_mass <= 1
    data = model.to_dict() | {"rerank_mass": 0.0}
    with pytest.raises(ValueError, match="rerank_mass"):
        SelectionModel.from_dict(data)


def test_the_confident_band_starts_where_answers_above_it_were_right_often_enough():
    from qa_bot.learned.targets import CONFIDENT_PRECISION, confident_for

    confidence = np.array([0.99, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    right = np.array([1, 1, 1, 1, 0, 1, 0, 0], dtype=float)
    level = confident_for(confidence, right, np.ones(8), threshold=0.45)
    above = confidence >= level
    assert right[above].mean() >= CONFIDENT_PRECISION and level == 0.8
    # Never below the refusal threshold, and 1.0 when no level is right often enough.
    assert confident_for(confidence, right, np.ones(8), threshold=0.85) == 0.9
    assert confident_for(confidence, np.zeros(8), np.ones(8), threshold=0.4) == 1.0


def test_the_shipped_model_has_a_confident_band_above_its_refusal_threshold():
    from qa_bot.answer.selection import load_model

    model = load_model()
    assert model.threshold < model.confident_threshold < 1.0
    assert model.fitted["targets"]["confident_precision"] > 0.5
