from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "kneadwell.visits"
    label = "visits"
