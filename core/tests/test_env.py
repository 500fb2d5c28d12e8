import pytest
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_list, env_str


def test_env_bool_reads_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("TRUE", True), ("on", True), ("0", False), ("no", False), ("Off", False)]:
        monkeypatch.setenv("X_FLAG", raw)
        assert env_bool("X_FLAG", not expected) is expected


def test_env_bool_refuses_a_malformed_value(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG='maybe' is not a boolean"):
        env_bool("X_FLAG", False)


def test_env_int_refuses_text_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("X_NUM", 1, minimum=1)


def test_defaults_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("X_UNSET", raising=False)
    monkeypatch.setenv("X_EMPTY", "")
    assert env_str("X_UNSET", "d") == "d"
    assert env_str("X_EMPTY", "d") == "d"
    assert env_list("X_EMPTY", ["a"]) == ["a"]
    monkeypatch.setenv("X_LIST", " a.example, b.example ,")
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
