"""Coordinators invite counsellors; an accepted invitation becomes a counsellor account."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from api.accounts.models import Role, User, normalize_email
from api.accounts.services import password_strength_check
from api.core.errors import ErrorCode, Problem
from api.counsellors.models import CounsellorProfile, Invitation
from api.organisations.models import Organisation

INVITATION_LIFETIME = timedelta(days=14)


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *, organisation: Organisation, email: str, display_name: str, invited_by: User
) -> IssuedInvitation:
    """Creates an invitation and returns its token, which is never stored and never shown again."""
    token = f"inv_{secrets.token_urlsafe(32)}"
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=normalize_email(email),
        display_name=display_name,
        token_hash=_hash(token),
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    return IssuedInvitation(invitation=invitation, token=token)


def invitation_accept(*, token: str, password: str, alias: str) -> CounsellorProfile:
    """Turns a valid invitation into a counsellor account with a profile; once only."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(token_hash=_hash(token), accepted_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if invitation is None:
            raise Problem(ErrorCode.INVITATION_INVALID)
        user = User(
            email=invitation.email, alias=alias, role=Role.COUNSELLOR, organisation=invitation.organisation
        )
        password_strength_check(password, user=user, field="password")
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise Problem(ErrorCode.ACCOUNT_EXISTS) from None
        profile = CounsellorProfile.objects.create(
            user=user, organisation=invitation.organisation, display_name=invitation.display_name
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return profile


def invitation_revoke(*, invitation: Invitation) -> None:
    """Withdraws an invitation not yet accepted (an accepted one is history and stays)."""
    if invitation.accepted_at is not None:
        raise Problem(ErrorCode.INVITATION_INVALID, "An accepted invitation cannot be withdrawn.")
    invitation.delete()


def invitations_managed_by(user: User) -> QuerySet[Invitation]:
    if user.role == Role.STAFF:
        return Invitation.objects.all()
    if user.role == Role.COORDINATOR and user.organisation_id is not None:
        return Invitation.objects.filter(organisation_id=user.organisation_id)
    return Invitation.objects.none()
