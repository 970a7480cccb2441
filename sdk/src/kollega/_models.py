"""Typed models of the API's resources: frozen dataclasses, one per schema of the spec.

Each model names its schema in `__schema__`; a test compares every model's fields with that
schema's properties in openapi/kollega.yaml, so the SDK cannot drift from the API. Field names are
the JSON names. Timestamps become aware `datetime`s; ids stay strings (opaque UUIDs).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from typing import Any, ClassVar, Self, TypeVar, Union

T = TypeVar("T")


def _decode(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (Union, types.UnionType):
        inner = [a for a in typing.get_args(kind) if a is not type(None)]
        return _decode(inner[0], value) if len(inner) == 1 else value
    if origin is list:
        (item,) = typing.get_args(kind)
        return [_decode(item, v) for v in value]
    if kind is datetime:
        return datetime.fromisoformat(value)
    if isinstance(kind, type) and issubclass(kind, Model):
        return kind.from_json(value)
    return value


class Model:
    """The base of every model: `from_json` builds one from the API's JSON, ignoring new members."""

    __schema__: ClassVar[str]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        hints = typing.get_type_hints(cls)
        values = {
            f.name: _decode(hints[f.name], data.get(f.name))
            for f in dataclasses.fields(cls)  # type: ignore[arg-type]
            if f.name in data or f.default is dataclasses.MISSING
        }
        return cls(**values)


@dataclasses.dataclass(frozen=True)
class Region(Model):
    __schema__ = "RegionSummaryOutput"
    id: str
    code: str
    name: str


@dataclasses.dataclass(frozen=True)
class Counsellor(Model):
    """A peer counsellor as doctors see them."""

    __schema__ = "CounsellorSummaryOutput"
    id: str
    display_name: str
    languages: list[str]
    regions: list[Region]
    modalities: list[str]
    time_zone: str


@dataclasses.dataclass(frozen=True)
class Slot(Model):
    """An open interval of a counsellor's time that can be booked."""

    __schema__ = "SlotOutput"
    id: str
    start: datetime
    end: datetime
    time_zone: str
    modalities: list[str]
    counsellor: Counsellor


@dataclasses.dataclass(frozen=True)
class Cancellation(Model):
    __schema__ = "CancellationOutput"
    by: str
    reason: str
    late: bool
    at: datetime


@dataclasses.dataclass(frozen=True)
class Booking(Model):
    """A doctor's reserved conversation with a counsellor."""

    __schema__ = "BookingOutput"
    id: str
    status: str
    start: datetime
    end: datetime
    time_zone: str
    modality: str
    counsellor: Counsellor
    sequence: int
    created_at: datetime
    updated_at: datetime
    category: str | None = None
    note: str = ""
    contact_phone: str = ""
    doctor_alias: str = ""
    cancellation: Cancellation | None = None
    rescheduled_at: datetime | None = None


@dataclasses.dataclass(frozen=True)
class Organisation(Model):
    __schema__ = "OrganisationSummaryOutput"
    id: str
    name: str
    slug: str


@dataclasses.dataclass(frozen=True)
class Me(Model):
    """The signed-in account."""

    __schema__ = "MeOutput"
    id: str
    email: str
    alias: str
    role: str
    language: str
    organisation: Organisation | None
    date_joined: datetime
    updated_at: datetime


@dataclasses.dataclass(frozen=True)
class Tokens(Model):
    """A session's token pair; keep `refresh` secret, like a password."""

    __schema__ = "TokenPairOutput"
    access: str
    refresh: str
    token_type: str
    access_expires_at: datetime
    refresh_expires_at: datetime
    session_id: str

    def __repr__(self) -> str:
        # Never print a token, whatever logs the object.
        return f"Tokens(session_id={self.session_id!r}, access_expires_at={self.access_expires_at!r})"


@dataclasses.dataclass(frozen=True)
class Thread(Model):
    """The secure conversation between a doctor and a counsellor."""

    __schema__ = "ThreadOutput"
    id: str
    counsellor: Counsellor
    created_at: datetime
    last_activity_at: datetime
    unread_count: int
    read_at: datetime | None
    doctor_alias: str = ""


@dataclasses.dataclass(frozen=True)
class ThreadDevice(Model):
    """A participant's device in a thread, with its public keys (base64)."""

    __schema__ = "ThreadDeviceOutput"
    id: str
    participant: str
    encryption_key: str
    signing_key: str
    key_signature: str
    created_at: datetime


@dataclasses.dataclass(frozen=True)
class Device(Model):
    """One of your registered devices."""

    __schema__ = "DeviceOutput"
    id: str
    encryption_key: str
    signing_key: str
    key_signature: str
    platform: str
    created_at: datetime
    updated_at: datetime


@dataclasses.dataclass(frozen=True)
class SentMessage(Model):
    """What the server stored for a message you sent (it never sees the text)."""

    __schema__ = "MessageSentOutput"
    id: str
    client_message_id: str
    created_at: datetime
    expires_at: datetime


@dataclasses.dataclass(frozen=True)
class Message(Model):
    """A message as one of your devices receives it: still sealed."""

    __schema__ = "MessageOutput"
    id: str
    client_message_id: str
    sender: str
    sender_device_id: str | None
    created_at: datetime
    expires_at: datetime
    nonce: str
    ciphertext: str


@dataclasses.dataclass(frozen=True)
class DecryptedMessage:
    """A message opened on this device: `text` is what the sender wrote."""

    id: str
    client_message_id: str
    sender: str
    created_at: datetime
    expires_at: datetime
    text: str


@dataclasses.dataclass(frozen=True)
class QuestionnaireRef(Model):
    __schema__ = "FollowupQuestionnaireOutput"
    id: str
    slug: str
    version: int
    title: str


@dataclasses.dataclass(frozen=True)
class Score(Model):
    __schema__ = "FollowupScoreOutput"
    raw: int
    score: int


@dataclasses.dataclass(frozen=True)
class FollowupHelp(Model):
    __schema__ = "FollowupHelpOutput"
    message: str
    resources: list[dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class Followup(Model):
    """A follow-up questionnaire sent to the doctor, as listed."""

    __schema__ = "FollowupOutput"
    id: str
    status: str
    kind: str
    offset_days: int
    due_at: datetime
    expires_at: datetime
    answered_at: datetime | None
    questionnaire: QuestionnaireRef
    score: Score | None
    poor_wellbeing: bool


@dataclasses.dataclass(frozen=True)
class FollowupDetail(Model):
    """A follow-up with its questionnaire's items (FHIR-like dicts) and, once answered, the answers."""

    __schema__ = "FollowupDetailOutput"
    id: str
    status: str
    kind: str
    offset_days: int
    due_at: datetime
    expires_at: datetime
    answered_at: datetime | None
    questionnaire: QuestionnaireRef
    score: Score | None
    poor_wellbeing: bool
    description: str
    items: list[dict[str, Any]]
    answers: dict[str, Any] | None
    help: FollowupHelp | None


@dataclasses.dataclass(frozen=True)
class Protection(Model):
    """Which protection a metrics answer got: suppression below a threshold, or differential privacy."""

    __schema__ = "MetricsProtectionOutput"
    method: str
    threshold: int | None
    epsilon: float | None
    contribution_bound: int | None
    budget_remaining: float | None


@dataclasses.dataclass(frozen=True)
class MetricTable(Model):
    """One metric's anonymised figures. Each entry is a dict: `kind` (cell, row_total, column_total,
    total), the dimensions asked for, its figures, and `suppressed` (its figures are then None)."""

    __schema__ = "MetricsBookingsOutput"
    metric: str
    start: str
    end: str
    group_by: list[str]
    as_of: datetime | None
    protection: Protection
    entries: list[dict[str, Any]]


API_MODELS: tuple[type[Model], ...] = (
    Region,
    Counsellor,
    Slot,
    Cancellation,
    Booking,
    Organisation,
    Me,
    Tokens,
    Thread,
    ThreadDevice,
    Device,
    SentMessage,
    Message,
    QuestionnaireRef,
    Score,
    FollowupHelp,
    Followup,
    FollowupDetail,
    Protection,
    MetricTable,
)
