from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kneadwell.audit"
    label = "audit"
    verbose_name = "Access log"
