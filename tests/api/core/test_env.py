from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from api.env import Env


def test_text_reads_the_value_or_the_default_and_fails_loudly_when_required():
    env = Env({"NAME": "value", "EMPTY": ""})

    assert env.text("NAME") == "value"
    assert env.text("MISSING", "fallback") == "fallback"
    assert env.text("EMPTY", "fallback") == "fallback"
    with pytest.raises(ImproperlyConfigured, match="MISSING must be set"):
        env.text("MISSING")


def test_a_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    env = Env({"TOKEN_FILE": str(secret), "TOKEN": "ignored"})

    assert env.text("TOKEN") == "from-a-file"


def test_an_unreadable_secret_file_fails_loudly(tmp_path):
    env = Env({"TOKEN_FILE": str(tmp_path / "missing")})

    with pytest.raises(ImproperlyConfigured, match="TOKEN_FILE"):
        env.text("TOKEN")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), ("on", True), ("0", False), ("no", False)]
)
def test_flags(raw, expected):
    assert Env({"FLAG": raw}).flag("FLAG", not expected) is expected


def test_a_malformed_flag_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="FLAG must be a boolean"):
        Env({"FLAG": "maybe"}).flag("FLAG", False)


def test_numbers_with_a_minimum():
    env = Env({"N": "7", "BAD": "seven", "LOW": "0"})

    assert env.number("N", 1) == 7
    assert env.number("MISSING", 3) == 3
    with pytest.raises(ImproperlyConfigured, match="BAD must be an integer"):
        env.number("BAD", 1)
    with pytest.raises(ImproperlyConfigured, match="LOW must be at least 1"):
        env.number("LOW", 5, minimum=1)


def test_items_are_comma_separated_and_trimmed():
    assert Env({"HOSTS": " a.example , b.example,, "}).items("HOSTS") == ["a.example", "b.example"]
    assert Env({}).items("HOSTS", ["x"]) == ["x"]


@pytest.mark.parametrize("rate", ["120/min", "10/s", "1/day", "5/hour"])
def test_rates_in_drf_form_are_accepted(rate):
    assert Env({"RATE": rate}).rate("RATE", "1/s") == rate


@pytest.mark.parametrize("rate", ["fast", "0/min", "10/fortnight", "10 per minute", "/min"])
def test_malformed_rates_fail_at_start_up(rate):
    with pytest.raises(ImproperlyConfigured, match="RATE must be a rate"):
        Env({"RATE": rate}).rate("RATE", "1/s")
