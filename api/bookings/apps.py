from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "api.bookings"
    label = "bookings"
