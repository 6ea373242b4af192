from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "kneadwell.appointments"
    label = "appointments"
