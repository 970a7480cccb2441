"""Reads on accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from api.accounts.models import AuthSession, User
from api.accounts.sessions import sessions_live


def user_sessions(*, user: User) -> QuerySet[AuthSession]:
    """The user's live sessions, newest first."""
    return sessions_live(user=user).order_by("-created_at", "-id")
