from pathlib import Path

import pytest

from qa_bot.config import Settings, SettingsError


def test_defaults():
    s = Settings()
    assert (s.corpus, s.index, s.host, s.port, s.top_k) == (
        Path("corpus"), Path("embeddings"), "127.0.0.1", 7860, 3,
    )  # fmt: skip


def test_environment_overrides_and_explicit_values_win():
    env = {"QA_BOT_CORPUS": "/data", "QA_BOT_PORT": "9000", "QA_BOT_MIN_CONFIDENCE": "0.5"}
    s = Settings.from_env(env, port=9100)
    assert s.corpus == Path("/data") and s.port == 9100 and s.min_confidence == 0.5


@pytest.mark.parametrize(
    "env, message",
    [
        ({"QA_BOT_PORT": "http"}, "QA_BOT_PORT must be a number"),
        ({"QA_BOT_TOP_K": "0"}, "top_k must be at least 1, got 0"),
        ({"QA_BOT_INDEX_TYPE": "magic"}, "index_type must be one of"),
        ({"QA_BOT_AUTH": "nocolon"}, "auth must look like user:password"),
    ],
)
def test_bad_values_fail_loudly_naming_the_setting(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)
