from __future__ import annotations

import pytest

from api.followups.shipped import shipped_instruments_ensure


@pytest.fixture
def shipped_instruments(transactional_db):
    """The WHO-5 and service feedback, which a data migration adds: an earlier test that flushed
    the database (a live-server test) has removed them."""
    return shipped_instruments_ensure()
