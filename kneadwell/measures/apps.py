from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "kneadwell.measures"
    label = "measures"
