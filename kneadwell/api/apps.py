from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kneadwell.api"
    label = "api"
    verbose_name = "API"
