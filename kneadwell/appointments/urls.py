from django.urls import path, re_path

from kneadwell.appointments import views

app_name = "appointments"
urlpatterns = [
    path("calendar/", views.day, name="day"),
    path("calendar/week/", views.week, name="week"),
    path("calendar/feed/", views.feed, name="feed"),
    re_path(
        r"^calendar/feed/(?P<secret>[A-Za-z0-9_-]{32,64})\.ics$", views.feed_ics, name="feed_ics"
    ),
    path("calendar/setup/", views.setup, name="setup"),
    path("calendar/setup/types/new/", views.type_edit, name="type_add"),
    path("calendar/setup/types/<int:pk>/", views.type_edit, name="type_edit"),
    path("calendar/setup/rooms/new/", views.room_edit, name="room_add"),
    path("calendar/setup/rooms/<int:pk>/", views.room_edit, name="room_edit"),
    path("calendar/setup/hours/<int:therapist_pk>/", views.hours, name="hours"),
    path(
        "calendar/setup/hours/<int:therapist_pk>/time-off/", views.time_off_add, name="time_off_add"
    ),
    path(
        "calendar/setup/hours/<int:therapist_pk>/time-off/<int:pk>/delete/",
        views.time_off_delete,
        name="time_off_delete",
    ),
    path("appointments/new/", views.book, name="book"),
    path("appointments/<int:pk>/", views.detail, name="detail"),
    path("appointments/<int:pk>/move/", views.move, name="move"),
    path("appointments/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("appointments/<int:pk>/status/", views.mark, name="mark"),
    path("clients/<int:client_pk>/plans/<int:plan_pk>/series/", views.plan_series, name="series"),
    re_path(
        r"^appointment/cancel/(?P<token>[A-Za-z0-9_:.-]{10,200})/$",
        views.public_cancel,
        name="public_cancel",
    ),
]
