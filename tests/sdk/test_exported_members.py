"""The public names of `kollega` are exactly these: adding or removing one is a decision."""

from __future__ import annotations

from importlib.resources import files

import kollega

PUBLIC = {
    "APIError",
    "AuthenticationError",
    "Booking",
    "Cancellation",
    "Client",
    "ConflictError",
    "Counsellor",
    "DecryptedMessage",
    "Device",
    "DeviceKeys",
    "DeviceListStale",
    "FieldError",
    "Followup",
    "FollowupDetail",
    "FollowupHelp",
    "InvalidRequest",
    "KollegaError",
    "Me",
    "Message",
    "MetricTable",
    "MockTransport",
    "NetworkError",
    "NotFound",
    "Offline",
    "Organisation",
    "PermissionDenied",
    "Protection",
    "QuestionnaireRef",
    "QueuedAction",
    "RateLimited",
    "Region",
    "Request",
    "RequestsTransport",
    "Response",
    "Retry",
    "Score",
    "SentMessage",
    "ServerError",
    "Slot",
    "SlotUnavailable",
    "SyncEvent",
    "SyncReport",
    "SyncCursorExpired",
    "Thread",
    "ThreadDevice",
    "Tokens",
    "Transport",
    "ValidationError",
    "__version__",
}


def test_all_is_the_public_api():
    assert set(kollega.__all__) == PUBLIC
    assert len(kollega.__all__) == len(PUBLIC), "no name twice"


def test_every_public_name_exists_and_private_modules_stay_private():
    for name in kollega.__all__:
        assert hasattr(kollega, name), name
    exported = {n for n in dir(kollega) if not n.startswith("_")}
    assert exported == PUBLIC - {"__version__"}, "a public name outside __all__"
    for name in kollega.__all__:
        module = getattr(getattr(kollega, name), "__module__", "kollega")
        assert module == "kollega" or module.startswith("kollega._"), (name, module)


def test_exceptions_form_one_hierarchy():
    for name in kollega.__all__:
        value = getattr(kollega, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, kollega.KollegaError), name
    assert issubclass(kollega.SlotUnavailable, kollega.ConflictError)
    assert issubclass(kollega.ValidationError, kollega.InvalidRequest)
    assert issubclass(kollega.ConflictError, kollega.APIError)
    assert not issubclass(kollega.NetworkError, kollega.APIError)


def test_the_package_is_typed():
    assert files("kollega").joinpath("py.typed").is_file()
