"""The clinic's portal pages, beside the chart (staff sessions; see sessions.py)."""

from django.urls import path

from kneadwell.portal.views import staff

app_name = "portal_staff"
urlpatterns = [
    path("clients/<int:pk>/portal/", staff.access, name="access"),
    path("clients/<int:pk>/portal/invite/", staff.invite, name="invite"),
    path("clients/<int:pk>/portal/desk-code/", staff.desk_code, name="desk_code"),
    path("clients/<int:pk>/portal/revoke/", staff.revoke, name="revoke"),
    path("clients/<int:pk>/portal/intake/<int:intake_pk>/", staff.intake, name="intake"),
    path(
        "clients/<int:pk>/portal/changes/<int:change_pk>/seen/",
        staff.change_seen,
        name="change_seen",
    ),
    path(
        "clients/<int:pk>/portal/corrections/<int:request_pk>/",
        staff.correction,
        name="correction",
    ),
]
