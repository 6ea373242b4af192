from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "kneadwell.plans"
    label = "plans"
