from django.urls import path

from kneadwell.measures import views

app_name = "measures"
urlpatterns = [
    path("clients/<int:pk>/measures/", views.response_list, name="list"),
    path("clients/<int:pk>/measures/new/<slug:instrument>/", views.response_create, name="new"),
    path("measures/missing-items/", views.missing_rules, name="missing_rules"),
]
