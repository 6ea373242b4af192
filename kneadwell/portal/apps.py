from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "kneadwell.portal"
    label = "portal"
    verbose_name = "Client portal"
