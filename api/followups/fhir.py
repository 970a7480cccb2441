"""A follow-up as a FHIR R4 QuestionnaireResponse.

It names no person: no subject, no author, no identifier but the follow-up's own id. The answers
are the doctor's to take elsewhere; choice answers carry their code, display text and ordinal
value (the standard `ordinalValue` extension). The tests validate the output with the
fhir.resources model (its R4B package, whose QuestionnaireResponse is R4's).
"""

from __future__ import annotations

from typing import Any

from api.followups.models import Followup, FollowupStatus

ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
_STATUS = {
    FollowupStatus.ANSWERED: "completed",
    FollowupStatus.DUE: "in-progress",
    FollowupStatus.EXPIRED: "stopped",
    FollowupStatus.WITHDRAWN: "stopped",
}


def localised(text: dict[str, str], language: str) -> str:
    return text.get(language) or text.get("en") or next(iter(text.values()), "")


def _answer(item: dict[str, Any], value: Any, *, language: str, system: str) -> dict[str, Any]:
    kind = item["type"]
    if kind == "choice":
        option = next(option for option in item["options"] if option["value"] == value)
        return {
            "valueCoding": {
                "extension": [{"url": ORDINAL_VALUE, "valueDecimal": value}],
                "system": system,
                "code": str(value),
                "display": localised(option["text"], language),
            }
        }
    if kind == "integer":
        return {"valueInteger": value}
    if kind == "boolean":
        return {"valueBoolean": value}
    return {"valueString": value}


def questionnaire_response(followup: Followup, *, questionnaire_url: str, language: str) -> dict[str, Any]:
    """The follow-up as a QuestionnaireResponse; `questionnaire_url` is its definition's URL."""
    version = followup.version
    canonical = f"{questionnaire_url}|{version.number}"
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(followup.pk),
        "language": language,
        "questionnaire": canonical,
        "status": _STATUS.get(FollowupStatus(followup.status), "in-progress"),
    }
    if followup.answered_at is not None:
        resource["authored"] = followup.answered_at.isoformat().replace("+00:00", "Z")
    answers = followup.answers or {}
    items = [
        {
            "linkId": item["linkId"],
            "text": localised(item["text"], language),
            "answer": [
                _answer(
                    item,
                    answers[item["linkId"]],
                    language=language,
                    system=f"{questionnaire_url}/options/{item['linkId']}",
                )
            ],
        }
        for item in version.items
        if item["linkId"] in answers
    ]
    if items:
        resource["item"] = items
    return resource
