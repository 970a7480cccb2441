from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

from api.organisations.models import Organisation


class Role(models.TextChoices):
    DOCTOR = "doctor"
    COUNSELLOR = "counsellor"
    COORDINATOR = "coordinator"
    STAFF = "staff"


class Language(models.TextChoices):
    NB = "nb", "Norsk bokmål"
    EN = "en", "English"


def normalize_email(email: str) -> str:
    """E-mail addresses are compared whole and case-insensitively."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("alias", "staff")
        return self.create_user(email, password, role=Role.STAFF, is_superuser=True, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who signs in. A counsellor only ever sees a doctor's `alias`, never the e-mail."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(max_length=254, unique=True)
    alias = models.CharField(max_length=40)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.DOCTOR)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.NB)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["alias"]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["counsellor", "coordinator"])
                | models.Q(organisation__isnull=False),
                name="user_org_member_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.alias

    @property
    def is_staff(self) -> bool:
        """Staff and coordinators may use the admin; what they see there is filtered by role."""
        return self.is_active and self.role in (Role.STAFF, Role.COORDINATOR)


class AuthSession(models.Model):
    """One sign-in: the chain of refresh tokens issued from it, and when it ends.

    Only the current refresh token's id (`refresh_jti`) is valid; rotating it is one
    compare-and-swap UPDATE, so of concurrent refreshes of one token exactly one wins.
    """

    class EndReason(models.TextChoices):
        LOGOUT = "logout"
        LOGOUT_EVERYWHERE = "logout_everywhere"
        PASSWORD_CHANGED = "password_changed"  # noqa: S105 (a reason, not a password)
        TOKEN_REUSED = "token_reused"  # noqa: S105 (a reason, not a token)
        REVOKED = "revoked"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="auth_sessions")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    refresh_jti = models.CharField(max_length=64)
    previous_jti = models.CharField(max_length=64, blank=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=32, choices=EndReason.choices, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-created_at"], name="authsession_user_created"),
            models.Index(fields=["expires_at"], name="authsession_expires"),
        ]

    def __str__(self) -> str:
        return f"session {self.id}"


class LoginThrottle(models.Model):
    """Failed sign-ins per account (keyed by a keyed hash of the e-mail, known or not).

    Keyed by account, never by address, so rotating X-Forwarded-For or the client's IP does not
    reset it; kept for unknown e-mails too, so a lockout does not reveal whether an account exists.
    """

    key = models.CharField(max_length=64, primary_key=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"login throttle {self.key[:8]}"
