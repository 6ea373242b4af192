from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "kneadwell.knowledge"
    label = "knowledge"
    verbose_name = "Clinical knowledge base"

    def ready(self):
        from kneadwell.knowledge import checks  # noqa: F401 - registers the system check
