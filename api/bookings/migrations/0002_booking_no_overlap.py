"""On PostgreSQL, forbid overlapping active bookings of one counsellor in the database itself.

An exclusion constraint over (counsellor, [start, end)) needs btree_gist for the equality on the
counsellor's id. SQLite has no such constraint; there the one-active-booking-per-slot index and
the conditional claim of the slot keep bookings apart.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings_booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist (
    counsellor_id WITH =, tstzrange("start", "end", '[)') WITH &&
) WHERE (status <> 'cancelled');
"""
DROP = "ALTER TABLE bookings_booking DROP CONSTRAINT IF EXISTS booking_no_overlap;"


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False)]
