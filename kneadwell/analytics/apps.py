from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "kneadwell.analytics"
    label = "analytics"
