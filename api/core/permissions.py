from __future__ import annotations

from typing import Any

from django.urls import Resolver404, resolve
from rest_framework.permissions import AllowAny


def view_allows_anonymous(view: Any) -> bool:
    """Whether a DRF view instance lets callers without credentials in."""
    return any(isinstance(permission, AllowAny) for permission in view.get_permissions())


def path_needs_credentials(path: str) -> bool:
    """Whether the DRF view at `path` refuses callers without credentials (False if there is none)."""
    try:
        view_class = getattr(resolve(path).func, "view_class", None)
    except Resolver404:
        return False
    if view_class is None or not hasattr(view_class, "get_permissions"):
        return False
    return not view_allows_anonymous(view_class())
