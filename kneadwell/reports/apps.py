from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kneadwell.reports"
    verbose_name = "Reports: progress, reassessment, discharge and letters"
