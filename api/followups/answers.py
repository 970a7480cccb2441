"""Checking a doctor's answers against a questionnaire version, and scoring them on the server.

Answers are `{linkId: value}`. Every problem is reported at once, one field error per item
(`answers.<linkId>`), so that a client can mark every wrong item in one round.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from api.core.errors import FieldError
from api.followups.models import Scoring

Item = Mapping[str, Any]

_COMPARE = {
    "=": lambda given, expected: given == expected,
    "!=": lambda given, expected: given != expected,
    ">": lambda given, expected: given > expected,
    ">=": lambda given, expected: given >= expected,
    "<": lambda given, expected: given < expected,
    "<=": lambda given, expected: given <= expected,
}


def is_integer(value: Any) -> bool:
    # JSON true is a bool, and Python's bool is an int: it is no answer to a number question.
    return isinstance(value, int) and not isinstance(value, bool)


def _condition_holds(condition: Mapping[str, Any], given: Mapping[str, Any]) -> bool:
    present = condition["question"] in given
    if condition["operator"] == "exists":
        return present is bool(condition["answer"])
    if not present:
        return False
    try:
        return bool(_COMPARE[condition["operator"]](given[condition["question"]], condition["answer"]))
    except TypeError:  # an answer of another type than the condition's compares as not met
        return False


def _enabled(item: Item, given: Mapping[str, Any]) -> bool:
    conditions = item.get("enableWhen") or []
    if not conditions:
        return True
    results = [_condition_holds(condition, given) for condition in conditions]
    return any(results) if item.get("enableBehavior") == "any" else all(results)


def _error(link_id: str, code: str, message: str) -> FieldError:
    return FieldError(field=f"answers.{link_id}", code=code, message=message)


def _value_error(item: Item, value: Any) -> FieldError | None:  # noqa: PLR0911 (one return per rule)
    link_id, kind = item["linkId"], item["type"]
    if kind == "choice":
        values = [option["value"] for option in item["options"]]
        if not is_integer(value) or value not in values:
            return _error(link_id, "invalid_choice", f"Choose one of {', '.join(map(str, values))}.")
    elif kind == "integer":
        if not is_integer(value):
            return _error(link_id, "invalid_type", "A whole number.")
        if "min" in item and value < item["min"]:
            return _error(link_id, "min_value", f"At least {item['min']}.")
        if "max" in item and value > item["max"]:
            return _error(link_id, "max_value", f"At most {item['max']}.")
    elif kind == "boolean":
        if not isinstance(value, bool):
            return _error(link_id, "invalid_type", "true or false.")
    elif kind == "text":
        if not isinstance(value, str):
            return _error(link_id, "invalid_type", "A string.")
        if len(value) > item["maxLength"]:
            return _error(link_id, "max_length", f"At most {item['maxLength']} characters.")
    return None


@dataclass(frozen=True)
class CheckedAnswers:
    answers: dict[str, Any]  # the answers of enabled items only, in item order
    errors: list[FieldError]


def answers_check(items: Sequence[Item], answers: Mapping[str, Any]) -> CheckedAnswers:
    """The answers to keep, and a field error for each item answered wrongly or not at all.

    An item is enabled when its `enableWhen` holds on the answers to the (earlier) items it names;
    an answer to a disabled item counts as absent for later conditions. A null or empty-string
    answer is no answer.
    """
    given = {key: value for key, value in answers.items() if value is not None and value != ""}
    known = {item["linkId"]: item for item in items}
    errors = [
        _error(key, "unknown_item", "This questionnaire has no such item.")
        for key in given
        if key not in known
    ]
    kept: dict[str, Any] = {}
    for item in items:
        link_id = item["linkId"]
        answered = link_id in given
        if item["type"] == "display":
            if answered:
                errors.append(_error(link_id, "not_answerable", "This item is text to read, not a question."))
            continue
        if not _enabled(item, kept):
            if answered:
                errors.append(_error(link_id, "disabled", "Not asked, given your other answers."))
            continue
        if not answered:
            if item.get("required"):
                errors.append(_error(link_id, "required", "This item needs an answer."))
            continue
        if error := _value_error(item, given[link_id]):
            errors.append(error)
        else:
            kept[link_id] = given[link_id]
    return CheckedAnswers(answers=kept, errors=errors)


@dataclass(frozen=True)
class Score:
    raw: int
    score: int


def score_of(scoring: str, items: Sequence[Item], answers: Mapping[str, Any]) -> Score | None:
    """The score of checked answers: WHO-5 is the raw sum times 4 (0-100); `sum` is the raw sum."""
    if scoring == Scoring.NONE:
        return None
    raw = sum(
        answers[item["linkId"]]
        for item in items
        if item["type"] in ("choice", "integer") and item["linkId"] in answers
    )
    return Score(raw=raw, score=raw * 4 if scoring == Scoring.WHO5 else raw)
