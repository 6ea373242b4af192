from django.urls import path

from kneadwell.visits import views

app_name = "visits"
urlpatterns = [
    path("clients/<int:client_pk>/visits/", views.visit_list, name="list"),
    path("clients/<int:client_pk>/visits/new/", views.visit_start, name="start"),
    path("appointments/<int:pk>/note/", views.visit_from_appointment, name="from_appointment"),
    path("clients/<int:client_pk>/visits/<int:pk>/", views.visit_detail, name="detail"),
    path("clients/<int:client_pk>/visits/<int:pk>/edit/", views.visit_edit, name="edit"),
    path(
        "clients/<int:client_pk>/visits/<int:pk>/autosave/", views.visit_autosave, name="autosave"
    ),
    path("clients/<int:client_pk>/visits/<int:pk>/addenda/", views.visit_addendum, name="addendum"),
    path("clients/<int:client_pk>/visits/<int:pk>/discard/", views.visit_discard, name="discard"),
]
