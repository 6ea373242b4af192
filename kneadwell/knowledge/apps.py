from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "kneadwell.knowledge"
    label = "knowledge"
