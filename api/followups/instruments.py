"""The instruments Kollega ships: the WHO-5 Well-Being Index and a short service feedback.

WHO-5: WHO Regional Office for Europe, "Wellbeing Measures in Primary Health Care: the DepCare
Project. Report on a WHO meeting, Stockholm, Sweden, 12-13 February 1998", Copenhagen, 1998 (the
1998 version of the index, developed at Psychiatric Centre North Zealand). Free to use without
permission. The Norwegian text follows the authorised translation by Olaf Bakke (2004).
Scoring: the five items (0-5 each) are summed to a raw score of 0-25 and multiplied by 4 to give
0-100; a raw score under 13 indicates poor wellbeing (docs/followups.md).

The data migration 0002 stores these as version 1 of each shipped questionnaire.
"""

from __future__ import annotations

from typing import Any

WHO5_SLUG = "who-5"
FEEDBACK_SLUG = "service-feedback"
# A raw WHO-5 score under this indicates poor wellbeing.
WHO5_POOR_BELOW = 13

_WHO5_OPTIONS = [
    (5, "Hele tiden", "All of the time"),
    (4, "Mesteparten av tiden", "Most of the time"),
    (3, "Mer enn halvparten av tiden", "More than half of the time"),
    (2, "Mindre enn halvparten av tiden", "Less than half of the time"),
    (1, "En gang iblant", "Some of the time"),
    (0, "Aldri", "At no time"),
]
_WHO5_ITEMS = [
    ("Jeg har vært glad og i godt humør", "I have felt cheerful and in good spirits"),
    ("Jeg har følt meg rolig og avslappet", "I have felt calm and relaxed"),
    ("Jeg har følt meg aktiv og energisk", "I have felt active and vigorous"),
    ("Jeg har våknet opp frisk og uthvilt", "I woke up feeling fresh and rested"),
    (
        "Min hverdag har vært fylt av ting som interesserer meg",
        "My daily life has been filled with things that interest me",
    ),
]


def _options(rows: list[tuple[int, str, str]]) -> list[dict[str, Any]]:
    return [{"value": value, "text": {"nb": nb, "en": en}} for value, nb, en in rows]


WHO5: dict[str, Any] = {
    "slug": WHO5_SLUG,
    "scoring": "who5",
    "title": {"nb": "WHO-5 trivselsindeks", "en": "WHO-5 Well-Being Index"},
    "description": {
        "nb": (
            "Angi for hvert av de fem utsagnene hva som best beskriver hvordan du har følt deg "
            "de siste to ukene."
        ),
        "en": (
            "Please indicate for each of the five statements which is closest to how you have been "
            "feeling over the last two weeks."
        ),
    },
    "allows_text": False,
    "items": [
        {
            "linkId": "who5-period",
            "type": "display",
            "text": {"nb": "I løpet av de siste to ukene ...", "en": "Over the last two weeks ..."},
        },
        *(
            {
                "linkId": f"who5-{number}",
                "type": "choice",
                "text": {"nb": nb, "en": en},
                "required": True,
                "options": _options(_WHO5_OPTIONS),
            }
            for number, (nb, en) in enumerate(_WHO5_ITEMS, start=1)
        ),
    ],
}

_HELPFUL = [
    (4, "Svært mye", "Very much"),
    (3, "Ganske mye", "Quite a lot"),
    (2, "Noe", "Somewhat"),
    (1, "Litt", "A little"),
    (0, "Ikke i det hele tatt", "Not at all"),
]
_EASY = [
    (4, "Svært lett", "Very easy"),
    (3, "Ganske lett", "Fairly easy"),
    (2, "Verken lett eller vanskelig", "Neither easy nor difficult"),
    (1, "Ganske vanskelig", "Fairly difficult"),
    (0, "Svært vanskelig", "Very difficult"),
]
_WHAT_WOULD_HELP = [
    (1, "Kortere ventetid", "A shorter wait"),
    (2, "Flere måter å snakke på (telefon, video, møte)", "More ways to talk (phone, video, in person)"),
    (3, "En kollega nærmere der jeg bor", "A colleague nearer where I live"),
    (4, "Noe annet", "Something else"),
]

FEEDBACK: dict[str, Any] = {
    "slug": FEEDBACK_SLUG,
    "scoring": "none",
    "title": {"nb": "Hvordan var samtalen?", "en": "How was the conversation?"},
    "description": {
        "nb": "Tre korte spørsmål om tjenesten. Svarene brukes bare samlet, aldri om deg.",
        "en": "Three short questions about the service. Answers are only used together, never about you.",
    },
    "allows_text": False,
    "items": [
        {
            "linkId": "helpful",
            "type": "choice",
            "text": {"nb": "Var samtalen til hjelp for deg?", "en": "Was the conversation helpful to you?"},
            "required": True,
            "options": _options(_HELPFUL),
        },
        {
            "linkId": "easy",
            "type": "choice",
            "text": {
                "nb": "Var det lett å avtale samtalen?",
                "en": "Was it easy to arrange the conversation?",
            },
            "required": True,
            "options": _options(_EASY),
        },
        {
            "linkId": "recommend",
            "type": "boolean",
            "text": {
                "nb": "Vil du anbefale tjenesten til en kollega?",
                "en": "Would you recommend the service to a colleague?",
            },
            "required": True,
        },
        {
            "linkId": "what-would-help",
            "type": "choice",
            "text": {
                "nb": "Hva ville fått deg til å anbefale den?",
                "en": "What would make you recommend it?",
            },
            "required": False,
            "options": _options(_WHAT_WOULD_HELP),
            "enableWhen": [{"question": "recommend", "operator": "=", "answer": False}],
        },
    ],
}

SHIPPED = (WHO5, FEEDBACK)
