"""Checking a questionnaire definition written by a coordinator, item by item.

The serializer checks each item's shape; these are the rules across items: unique linkIds, the
fields each type takes, bounds, and `enableWhen` conditions that name an earlier question and an
answer it could have. Every problem is one field error (`items.<index>.<field>`), reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from api.core.errors import FieldError
from api.followups.answers import is_integer

TEXT_MAX_LENGTH = 500
TEXT_DEFAULT_LENGTH = 200
OPERATORS = ("exists", "=", "!=", ">", ">=", "<", "<=")
_ORDERED = (">", ">=", "<", "<=")


def _error(index: int, field: str, code: str, message: str) -> FieldError:
    return FieldError(field=f"items.{index}.{field}", code=code, message=message)


def _type_errors(index: int, item: Mapping[str, Any], *, allows_text: bool) -> list[FieldError]:
    kind = item["type"]
    errors: list[FieldError] = []
    if kind == "choice":
        values = [option["value"] for option in item.get("options") or []]
        if len(values) < 2:
            errors.append(_error(index, "options", "too_few", "A choice needs at least two options."))
        elif len(set(values)) != len(values):
            errors.append(_error(index, "options", "duplicate", "Each option needs its own value."))
    elif item.get("options"):
        errors.append(_error(index, "options", "not_allowed", "Only a choice has options."))
    if kind == "integer" and "min" in item and "max" in item and item["min"] > item["max"]:
        errors.append(_error(index, "max", "invalid", "max must not be below min."))
    if kind != "integer" and ("min" in item or "max" in item):
        errors.append(_error(index, "min", "not_allowed", "Only an integer has bounds."))
    if kind == "text" and not allows_text:
        errors.append(
            _error(index, "type", "text_not_allowed", "Short text needs allows_text on the questionnaire.")
        )
    if kind != "text" and "maxLength" in item:
        errors.append(_error(index, "maxLength", "not_allowed", "Only a text item has a maxLength."))
    if kind == "display" and (item.get("required") or item.get("enableWhen")):
        errors.append(_error(index, "required", "not_allowed", "A display item is text, not a question."))
    return errors


def _answer_fits(question: Mapping[str, Any], operator: str, answer: Any) -> bool:
    kind = question["type"]
    if operator == "exists":
        return isinstance(answer, bool)
    if kind == "boolean":
        return isinstance(answer, bool) and operator in ("=", "!=")
    if kind == "text":
        return isinstance(answer, str) and operator in ("=", "!=")
    if not is_integer(answer):
        return False
    if kind == "choice" and operator not in _ORDERED:
        return answer in [option["value"] for option in question["options"]]
    return True


def _condition_errors(
    index: int, item: Mapping[str, Any], earlier: Mapping[str, Mapping[str, Any]]
) -> list[FieldError]:
    errors: list[FieldError] = []
    for number, condition in enumerate(item.get("enableWhen") or []):
        field = f"enableWhen.{number}"
        question = earlier.get(condition["question"])
        if question is None or question["type"] == "display":
            errors.append(_error(index, f"{field}.question", "invalid", "Name an earlier question's linkId."))
        elif not _answer_fits(question, condition["operator"], condition["answer"]):
            errors.append(
                _error(index, f"{field}.answer", "invalid", "Not an answer that question could have.")
            )
    return errors


def definition_errors(items: Sequence[Mapping[str, Any]], *, allows_text: bool) -> list[FieldError]:
    """Every problem with a definition's items, as field errors; empty when it is sound."""
    errors: list[FieldError] = []
    earlier: dict[str, Mapping[str, Any]] = {}
    for index, item in enumerate(items):
        if item["linkId"] in earlier:
            errors.append(_error(index, "linkId", "duplicate", "Each item needs its own linkId."))
        errors += _type_errors(index, item, allows_text=allows_text)
        errors += _condition_errors(index, item, earlier)
        earlier[item["linkId"]] = item
    return errors


def normalised(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The items as stored: defaults filled in (required false, a text item's maxLength)."""
    stored = []
    for item in items:
        copy = {key: value for key, value in item.items() if value not in (None, [])}
        if copy["type"] != "display":
            copy.setdefault("required", False)
        if copy["type"] == "text":
            copy.setdefault("maxLength", TEXT_DEFAULT_LENGTH)
        stored.append(copy)
    return stored
