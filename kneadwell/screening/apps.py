from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "kneadwell.screening"
    label = "screening"
