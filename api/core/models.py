from api.core.idempotency.models import IdempotencyRecord

__all__ = ["IdempotencyRecord"]
