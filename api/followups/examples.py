"""Examples for the follow-ups part of the spec."""

from drf_spectacular.utils import OpenApiExample

from api.followups.instruments import WHO5

WHO5_ID = "3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d"
_FOLLOWUP = {
    "id": "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
    "status": "due",
    "kind": "followup",
    "offset_days": 10,
    "due_at": "2026-12-11T15:45:00Z",
    "expires_at": "2027-01-10T15:45:00Z",
    "answered_at": None,
    "questionnaire": {"id": WHO5_ID, "slug": "who-5", "version": 1, "title": "WHO-5 Well-Being Index"},
    "score": None,
    "poor_wellbeing": False,
}
_ITEMS = [
    {"linkId": "who5-period", "type": "display", "text": "Over the last two weeks ..."},
    {
        "linkId": "who5-1",
        "type": "choice",
        "text": "I have felt cheerful and in good spirits",
        "required": True,
        "options": [{"value": 5, "text": "All of the time"}, {"value": 0, "text": "At no time"}],
    },
]
FOLLOWUP_EXAMPLE = OpenApiExample("Due", value=_FOLLOWUP, response_only=True)
FOLLOWUP_DETAIL_EXAMPLE = OpenApiExample(
    "Due, with its questionnaire",
    value=_FOLLOWUP
    | {
        "description": "Please indicate for each of the five statements ...",
        "items": _ITEMS,
        "answers": None,
        "help": None,
    },
    response_only=True,
)
ANSWERS = {"who5-1": 1, "who5-2": 2, "who5-3": 2, "who5-4": 1, "who5-5": 3}
RESPONSE_EXAMPLE = OpenApiExample("WHO-5 answers", value={"answers": ANSWERS}, request_only=True)
ANSWERED_EXAMPLE = OpenApiExample(
    "Answered, poor wellbeing",
    value=_FOLLOWUP
    | {
        "status": "answered",
        "answered_at": "2026-12-12T08:30:00Z",
        "score": {"raw": 9, "score": 36},
        "poor_wellbeing": True,
        "description": "Please indicate for each of the five statements ...",
        "items": _ITEMS,
        "answers": ANSWERS,
        "help": {
            "message": "Your answers suggest that things are hard for you at the moment. ...",
            "resources": [
                {"title": "Villa Sana: counselling for doctors", "url": "https://example.org/help"}
            ],
        },
    },
    response_only=True,
)
FHIR_EXAMPLE = OpenApiExample(
    "QuestionnaireResponse",
    value={
        "resourceType": "QuestionnaireResponse",
        "id": _FOLLOWUP["id"],
        "language": "en",
        "questionnaire": f"https://kollega.example.org/v1/questionnaires/{WHO5_ID}|1",
        "status": "completed",
        "authored": "2026-12-12T08:30:00Z",
        "item": [
            {
                "linkId": "who5-1",
                "text": "I have felt cheerful and in good spirits",
                "answer": [
                    {
                        "valueCoding": {
                            "extension": [
                                {
                                    "url": "http://hl7.org/fhir/StructureDefinition/ordinalValue",
                                    "valueDecimal": 1,
                                }
                            ],
                            "system": f"https://kollega.example.org/v1/questionnaires/{WHO5_ID}/options/who5-1",
                            "code": "1",
                            "display": "Some of the time",
                        }
                    }
                ],
            }
        ],
    },
    response_only=True,
)
PREFERENCE_EXAMPLE = OpenApiExample("Opted out", value={"opted_out": True})
_OWN_ITEMS = [
    {
        "linkId": "sleep",
        "type": "integer",
        "text": {"nb": "Hvor mange timer sov du i natt?", "en": "How many hours did you sleep last night?"},
        "required": True,
        "min": 0,
        "max": 24,
    },
    {
        "linkId": "back-at-work",
        "type": "boolean",
        "text": {"nb": "Er du tilbake i arbeid?", "en": "Are you back at work?"},
        "required": False,
    },
]
QUESTIONNAIRE_CREATE_EXAMPLE = OpenApiExample(
    "Own questionnaire",
    value={
        "slug": "sleep-and-work",
        "scoring": "none",
        "title": {"nb": "Søvn og arbeid", "en": "Sleep and work"},
        "items": _OWN_ITEMS,
    },
    request_only=True,
)
QUESTIONNAIRE_EXAMPLE = OpenApiExample(
    "WHO-5",
    value={
        "id": WHO5_ID,
        "slug": WHO5["slug"],
        "scoring": "who5",
        "shipped": True,
        "version": 1,
        "title": WHO5["title"],
        "description": WHO5["description"],
        "allows_text": False,
        "items": WHO5["items"][:2],
        "updated_at": "2026-11-25T09:00:00Z",
    },
    response_only=True,
)
SCHEDULE_EXAMPLE = OpenApiExample(
    "Schedule",
    value={
        "offsets": [
            {"days": 10, "questionnaires": [WHO5_ID, "4b5c6d7e-8f9a-4b1c-8d2e-3f4a5b6c7d8e"]},
            {"days": 365, "questionnaires": [WHO5_ID]},
        ],
        "baseline": [WHO5_ID],
        "help_resources": [
            {
                "title": {"nb": "Villa Sana", "en": "Villa Sana"},
                "url": "https://example.org/help",
                "phone": "+47 22 00 00 00",
            }
        ],
    },
)
STATS_EXAMPLE = OpenApiExample(
    "Response rates",
    value={
        "questionnaire": WHO5_ID,
        "threshold": 5,
        "offsets": [
            {
                "offset_days": 10,
                "sent": 40,
                "answered": 29,
                "expired": 8,
                "response_rate": 0.725,
                "mean_score": 58.2,
                "poor_wellbeing": 7,
            },
            {
                "offset_days": 365,
                "sent": 6,
                "answered": 3,
                "expired": 1,
                "response_rate": 0.5,
                "mean_score": None,
                "poor_wellbeing": None,
            },
        ],
    },
    response_only=True,
)
