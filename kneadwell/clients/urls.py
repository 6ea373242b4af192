from django.urls import path

from kneadwell.clients import views

app_name = "clients"
# The list ("clients:list") and the chart ("clients:detail") are composed by reports in the
# root URLs, since they show records of the rooms above clients.
urlpatterns = [
    path("new/", views.client_create, name="create"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("<int:pk>/archive/", views.client_archive, name="archive"),
    path("<int:pk>/erase/", views.client_erase, name="erase"),
]
