"""A secret key's differential-privacy settings and the spending of its budget."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from api.core.errors import ErrorCode, Problem
from api.metrics.models import KeyPrivacy, PrivacySpend
from api.organisations.models import ApiKey


@dataclass(frozen=True)
class Spent:
    epsilon: float
    remaining: float


def key_privacy_of(*, api_key: ApiKey) -> KeyPrivacy:
    """The key's settings; a key nobody configured has differential privacy off."""
    found = KeyPrivacy.objects.filter(api_key=api_key).first()
    return found if found is not None else KeyPrivacy(api_key=api_key)


def key_privacy_update(
    *, api_key: ApiKey, differential_privacy: bool, epsilon_per_query: float, budget: float
) -> KeyPrivacy:
    """Sets a key's mode, its epsilon per query and its total budget; what was spent stays spent."""
    privacy, _ = KeyPrivacy.objects.update_or_create(
        api_key=api_key,
        defaults={
            "differential_privacy": differential_privacy,
            "epsilon_per_query": epsilon_per_query,
            "budget": budget,
        },
    )
    return privacy


def privacy_budget_spend(*, api_key: ApiKey, metric: str) -> Spent:
    """Charges one query's epsilon to the key, or refuses with 403 when the budget cannot pay it.

    The key's row is locked while checking and charging, so concurrent queries cannot overspend.
    """
    with transaction.atomic():
        privacy = KeyPrivacy.objects.select_for_update().get(api_key=api_key)
        epsilon = privacy.epsilon_per_query
        if privacy.spent + epsilon > privacy.budget + 1e-9:
            raise Problem(
                ErrorCode.PRIVACY_BUDGET_EXHAUSTED,
                f"This key has {max(0.0, privacy.budget - privacy.spent):.4g} of its epsilon budget "
                f"left and a query costs {epsilon:.4g}.",
            )
        KeyPrivacy.objects.filter(pk=privacy.pk).update(spent=F("spent") + epsilon)
        PrivacySpend.objects.create(api_key=api_key, metric=metric, epsilon=epsilon)
    return Spent(epsilon=epsilon, remaining=max(0.0, privacy.budget - privacy.spent - epsilon))
