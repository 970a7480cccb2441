from django.urls import path

from api.bookings import views

urlpatterns = [
    path("bookings", views.BookingListView.as_view(), name="bookings"),
    path("bookings/<uuid:booking_id>", views.BookingDetailView.as_view(), name="booking"),
    path("bookings/<uuid:booking_id>/cancel", views.BookingCancelView.as_view(), name="booking-cancel"),
    path(
        "bookings/<uuid:booking_id>/reschedule",
        views.BookingRescheduleView.as_view(),
        name="booking-reschedule",
    ),
    path("bookings/<uuid:booking_id>/complete", views.BookingCompleteView.as_view(), name="booking-complete"),
    path("bookings/<uuid:booking_id>/no-show", views.BookingNoShowView.as_view(), name="booking-no-show"),
    path(
        "bookings/<uuid:booking_id>/calendar.ics",
        views.BookingCalendarView.as_view(),
        name="booking-calendar",
    ),
]
