"""A booking as an iCalendar entry: neutral text, the right time zone, a UID that stays.

The entry says only that there is a Kollega conversation: no names, no category, no note, since
calendars are shared, synced and shown on lock screens. Its UID is the booking's, and SEQUENCE
counts the booking's changes, so that an imported entry is replaced when the booking moves or is
cancelled.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from api.bookings.models import Booking, BookingStatus

TITLE = "Kollega conversation"
DESCRIPTION = "A conversation booked through Kollega."
PRODUCT = "-//Kollega//Bookings//EN"


def booking_calendar(booking: Booking) -> bytes:
    zone = ZoneInfo(booking.counsellor.time_zone)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{booking.pk}@kollega")
    event.add("sequence", booking.sequence)
    event.add("dtstamp", booking.updated_at)
    event.add("dtstart", booking.start.astimezone(zone))
    event.add("dtend", booking.end.astimezone(zone))
    event.add("summary", TITLE)
    event.add("description", DESCRIPTION)
    event.add("status", "CANCELLED" if booking.status == BookingStatus.CANCELLED else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("class", "PRIVATE")
    calendar.add_component(event)
    # A VTIMEZONE for the zone the times are in, so that every client places them right.
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical
