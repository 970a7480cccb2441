"""Input and output serializers of follow-ups and questionnaires, one pair per operation."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.core.fields import QuerySerializer, StrictBooleanField, StrictCharField
from api.followups.definitions import OPERATORS, TEXT_MAX_LENGTH
from api.followups.fhir import localised
from api.followups.models import Followup, FollowupStatus, Questionnaire, Scoring

LINK_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
# What a doctor sees of a follow-up's status (settings name this enum in the spec).
VISIBLE_STATUS_CHOICES = [
    (s.value, s.value) for s in (FollowupStatus.DUE, FollowupStatus.ANSWERED, FollowupStatus.EXPIRED)
]
ITEM_TYPES = ("choice", "integer", "boolean", "text", "display")

FOLLOWUP_KINDS = ["baseline", "followup"]


class StrictIntegerField(serializers.IntegerField):
    """A JSON number without a fraction: DRF would take "5", 5.0 and true."""

    default_error_messages = {"invalid": "A whole number."}

    def to_internal_value(self, data: Any) -> int:
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("invalid")
        return int(super().to_internal_value(data))


class LocalisedTextSerializer(serializers.Serializer[Any]):
    nb = StrictCharField(max_length=TEXT_MAX_LENGTH, help_text="Norwegian Bokmål.")
    en = StrictCharField(max_length=TEXT_MAX_LENGTH, help_text="English.")


class OptionalLocalisedTextSerializer(serializers.Serializer[Any]):
    nb = StrictCharField(max_length=1000, required=False, allow_blank=True)
    en = StrictCharField(max_length=1000, required=False, allow_blank=True)


class QuestionnaireOptionSerializer(serializers.Serializer[Any]):
    value = StrictIntegerField(min_value=0, max_value=1000, help_text="The option's ordinal value.")
    text = LocalisedTextSerializer()


class EnableWhenSerializer(serializers.Serializer[Any]):
    question = serializers.RegexField(LINK_ID, help_text="An earlier item's linkId.")
    operator = serializers.ChoiceField(choices=OPERATORS)
    answer = serializers.JSONField(help_text="A value that question could have; a boolean for `exists`.")


class QuestionnaireItemSerializer(serializers.Serializer[Any]):
    linkId = serializers.RegexField(LINK_ID, help_text="Unique within the questionnaire.")
    type = serializers.ChoiceField(choices=ITEM_TYPES)
    text = LocalisedTextSerializer()
    required = StrictBooleanField(required=False)  # type: ignore[assignment]
    options = serializers.ListField(
        child=QuestionnaireOptionSerializer(), required=False, max_length=20, help_text="choice only."
    )
    min = StrictIntegerField(required=False, min_value=-100_000, max_value=100_000, help_text="integer only.")
    max = StrictIntegerField(required=False, min_value=-100_000, max_value=100_000, help_text="integer only.")
    maxLength = StrictIntegerField(
        required=False, min_value=1, max_value=TEXT_MAX_LENGTH, help_text="text only; default 200."
    )
    enableWhen = serializers.ListField(child=EnableWhenSerializer(), required=False, max_length=5)
    enableBehavior = serializers.ChoiceField(choices=["all", "any"], required=False)


class QuestionnaireReviseInputSerializer(serializers.Serializer[Any]):
    title = LocalisedTextSerializer()
    description = OptionalLocalisedTextSerializer(required=False)
    allows_text = StrictBooleanField(required=False, help_text="Whether short text items are allowed.")
    items = serializers.ListField(child=QuestionnaireItemSerializer(), min_length=1, max_length=50)

    def to_service(self) -> dict[str, Any]:
        data = self.validated_data
        return {
            "title": dict(data["title"]),
            "description": dict(data.get("description") or {}),
            "allows_text": data.get("allows_text", False),
            "items": [_plain(item) for item in data["items"]],
        }


class QuestionnaireCreateInputSerializer(QuestionnaireReviseInputSerializer):
    slug = serializers.SlugField(max_length=64, help_text="Unique in your organisation.")
    scoring = serializers.ChoiceField(
        choices=[Scoring.SUM.value, Scoring.NONE.value],
        required=False,
        help_text="`sum` adds the choice and integer answers; default `none` (`who5` is the WHO-5's own).",
    )

    def to_service(self) -> dict[str, Any]:
        data = self.validated_data
        return super().to_service() | {"slug": data["slug"], "scoring": data.get("scoring", Scoring.NONE)}


def _plain(value: Any) -> Any:
    """Validated data as plain JSON types (DRF gives OrderedDicts)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


class QuestionnaireOutputSerializer(serializers.Serializer[Questionnaire]):
    id = serializers.UUIDField()
    slug = serializers.SlugField()
    scoring = serializers.ChoiceField(choices=Scoring.choices)
    shipped = serializers.BooleanField(help_text="A shipped instrument (WHO-5, service feedback): read-only.")
    version = serializers.IntegerField(help_text="The current version's number.")
    title = LocalisedTextSerializer()
    description = OptionalLocalisedTextSerializer()
    allows_text = serializers.BooleanField()
    items = QuestionnaireItemSerializer(many=True)
    updated_at = serializers.DateTimeField(help_text="When the current version was last changed.")

    def to_representation(self, questionnaire: Questionnaire) -> dict[str, Any]:
        current = questionnaire.current  # type: ignore[attr-defined]
        return {
            "id": str(questionnaire.pk),
            "slug": questionnaire.slug,
            "scoring": questionnaire.scoring,
            "shipped": questionnaire.organisation_id is None,
            "version": current.number,
            "title": current.title,
            "description": current.description,
            "allows_text": current.allows_text,
            "items": current.items,
            "updated_at": serializers.DateTimeField().to_representation(current.updated_at),
        }


class FollowupListQuerySerializer(QuerySerializer):
    status = serializers.ChoiceField(
        choices=VISIBLE_STATUS_CHOICES,
        required=False,
    )


class FollowupQuestionnaireOutputSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    slug = serializers.SlugField()
    version = serializers.IntegerField()
    title = serializers.CharField(help_text="In your language.")


class FollowupScoreOutputSerializer(serializers.Serializer[Any]):
    raw = serializers.IntegerField()
    score = serializers.IntegerField(help_text="WHO-5: 0-100 (the raw sum times 4).")


class HelpResourceSerializer(serializers.Serializer[Any]):
    title = LocalisedTextSerializer()
    url = serializers.URLField(required=False, max_length=500)
    phone = serializers.RegexField(r"^\+?[0-9][0-9 ()-]{2,30}$", required=False)


class FollowupHelpOutputSerializer(serializers.Serializer[Any]):
    message = serializers.CharField()
    resources = serializers.ListField(
        child=serializers.DictField(), help_text="Title, URL and phone, in your language."
    )


class FollowupOutputSerializer(serializers.Serializer[Followup]):
    """A follow-up as its doctor sees it; `items` (localised) only in the detail."""

    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=VISIBLE_STATUS_CHOICES)
    kind = serializers.ChoiceField(choices=FOLLOWUP_KINDS)
    offset_days = serializers.IntegerField(help_text="Days after the conversation; 0 for the baseline.")
    due_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    questionnaire = FollowupQuestionnaireOutputSerializer()
    score = FollowupScoreOutputSerializer(allow_null=True)
    poor_wellbeing = serializers.BooleanField(help_text="A WHO-5 raw score under 13. Only you see this.")


class FollowupItemOutputSerializer(serializers.Serializer[Any]):
    linkId = serializers.CharField()
    type = serializers.ChoiceField(choices=ITEM_TYPES)
    text = serializers.CharField()
    required = serializers.BooleanField(required=False)  # type: ignore[assignment]
    options = serializers.ListField(
        child=serializers.DictField(), required=False, help_text="`value` and `text`."
    )
    min = serializers.IntegerField(required=False)
    max = serializers.IntegerField(required=False)
    maxLength = serializers.IntegerField(required=False)
    enableWhen = EnableWhenSerializer(many=True, required=False)
    enableBehavior = serializers.CharField(required=False)


class FollowupDetailOutputSerializer(FollowupOutputSerializer):
    description = serializers.CharField(allow_blank=True)
    items = FollowupItemOutputSerializer(many=True)
    answers = serializers.DictField(allow_null=True, help_text="Your answers by linkId, once answered.")
    help = FollowupHelpOutputSerializer(
        allow_null=True, help_text="Where to find help, when wellbeing is poor."
    )


def localised_item(item: dict[str, Any], language: str) -> dict[str, Any]:
    shown = dict(item) | {"text": localised(item["text"], language)}
    if "options" in item:
        shown["options"] = [
            {"value": option["value"], "text": localised(option["text"], language)}
            for option in item["options"]
        ]
    return shown


class FollowupResponseInputSerializer(serializers.Serializer[Any]):
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        allow_empty=True,
        help_text="By linkId: an option's value for a choice, a whole number, true/false, or a string.",
    )


class FollowupPreferenceSerializer(serializers.Serializer[Any]):
    opted_out = StrictBooleanField(help_text="true: no follow-ups; those not yet answered are withdrawn.")


class ScheduleOffsetSerializer(serializers.Serializer[Any]):
    days = StrictIntegerField(min_value=1, max_value=730)
    questionnaires = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=10)


class FollowupScheduleInputSerializer(serializers.Serializer[Any]):
    offsets = serializers.ListField(child=ScheduleOffsetSerializer(), min_length=1, max_length=10)
    baseline = serializers.ListField(
        child=serializers.UUIDField(),
        max_length=10,
        required=False,
        help_text="Offered as a doctor books; empty: none.",
    )
    help_resources = serializers.ListField(child=HelpResourceSerializer(), required=False, max_length=10)

    def to_service(self) -> dict[str, Any]:
        data = self.validated_data
        return {
            "offsets": [_plain(offset) for offset in data["offsets"]],
            "baseline": list(data.get("baseline", [])),
            "help_resources": [_plain(resource) for resource in data.get("help_resources", [])],
        }


class FollowupScheduleOutputSerializer(serializers.Serializer[Any]):
    offsets = ScheduleOffsetSerializer(many=True)
    baseline = serializers.ListField(child=serializers.UUIDField())
    help_resources = HelpResourceSerializer(many=True)
    default = serializers.BooleanField(help_text="true: the shipped default, until you set your own.")


class OffsetStatsOutputSerializer(serializers.Serializer[Any]):
    offset_days = serializers.IntegerField()
    sent = serializers.IntegerField(help_text="Follow-ups that fell due.")
    answered = serializers.IntegerField()
    expired = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    mean_score = serializers.FloatField(allow_null=True, help_text="null under the suppression threshold.")
    poor_wellbeing = serializers.IntegerField(
        allow_null=True, help_text="null under the suppression threshold."
    )


class QuestionnaireStatsOutputSerializer(serializers.Serializer[Any]):
    questionnaire = serializers.UUIDField()
    threshold = serializers.IntegerField(help_text="Aggregates over fewer answers than this are null.")
    offsets = OffsetStatsOutputSerializer(many=True)


_HELP_MESSAGE = {
    "nb": (
        "Svarene dine tyder på at du har det tungt for tiden. Du trenger ikke stå i det alene; "
        "her kan du få hjelp. Ingen andre ser dette."
    ),
    "en": (
        "Your answers suggest that things are hard for you at the moment. You do not have to face it "
        "alone; here is where you can find help. No one else sees this."
    ),
}
# When the organisation has listed no help resources of its own.
_FALLBACK_RESOURCES: list[dict[str, Any]] = [
    {
        "title": {
            "nb": "Book en ny samtale med en kollega i Kollega",
            "en": "Book another conversation in Kollega",
        }
    },
    {"title": {"nb": "Snakk med fastlegen din", "en": "Talk to your own GP"}},
]


def poor_wellbeing(followup: Followup) -> bool:
    from api.followups.instruments import WHO5_POOR_BELOW  # noqa: PLC0415 (a constant)

    scoring = followup.version.questionnaire.scoring
    return scoring == Scoring.WHO5 and followup.raw_score is not None and followup.raw_score < WHO5_POOR_BELOW


def followup_representation(
    followup: Followup,
    *,
    language: str,
    detail: bool = False,
    help_resources: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The follow-up for its doctor; the detail adds items, answers and, for poor wellbeing, help."""
    version = followup.version
    stamp = serializers.DateTimeField()
    body: dict[str, Any] = {
        "id": str(followup.pk),
        "status": followup.status,
        "kind": "baseline" if followup.offset_days == 0 else "followup",
        "offset_days": followup.offset_days,
        "due_at": stamp.to_representation(followup.due_at),
        "expires_at": stamp.to_representation(followup.expires_at),
        "answered_at": followup.answered_at and stamp.to_representation(followup.answered_at),
        "questionnaire": {
            "id": str(version.questionnaire_id),
            "slug": version.questionnaire.slug,
            "version": version.number,
            "title": localised(version.title, language),
        },
        "score": None if followup.score is None else {"raw": followup.raw_score, "score": followup.score},
        "poor_wellbeing": poor_wellbeing(followup),
    }
    if not detail:
        return body
    resources = help_resources or _FALLBACK_RESOURCES
    return body | {
        "description": localised(version.description, language) if version.description else "",
        "items": [localised_item(item, language) for item in version.items],
        "answers": followup.answers,
        "help": {
            "message": _HELP_MESSAGE.get(language, _HELP_MESSAGE["en"]),
            "resources": [
                {
                    key: localised(value, language) if key == "title" else value
                    for key, value in resource.items()
                }
                for resource in resources
            ],
        }
        if body["poor_wellbeing"]
        else None,
    }
