from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "kneadwell.clients"
    label = "clients"
    verbose_name = "Clients"
