from django.urls import path

from kneadwell.plans import views

app_name = "plans"
urlpatterns = [
    path("clients/<int:client_pk>/plans/new/", views.plan_create, name="create"),
    # The plan page ("detail") is composed by analytics, which adds the clinic's outlook to
    # plan_page's context; the root URL conf names it plans:detail.
    path("clients/<int:client_pk>/plans/<int:pk>/edit/", views.plan_edit, name="edit"),
]
