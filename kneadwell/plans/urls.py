from django.urls import path

from kneadwell.plans import views

app_name = "plans"
urlpatterns = [
    path("clients/<int:client_pk>/plans/new/", views.plan_create, name="create"),
    path("clients/<int:client_pk>/plans/<int:pk>/", views.plan_detail, name="detail"),
    path("clients/<int:client_pk>/plans/<int:pk>/edit/", views.plan_edit, name="edit"),
]
