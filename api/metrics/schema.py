"""How the spec describes the secret-key bearer scheme of the metrics endpoints."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class SecretKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "api.metrics.authentication.SecretKeyAuthentication"
    name = "secretKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "sk_...",
            "description": (
                "An organisation's secret key with the `metrics:read` scope, made by a coordinator "
                "(`POST /v1/organisations/{id}/api-keys`). User tokens are not accepted."
            ),
        }
