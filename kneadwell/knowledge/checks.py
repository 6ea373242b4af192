"""A system check: the server and ``manage.py check`` refuse to start on bad knowledge files."""

from django.core import checks

from kneadwell.knowledge import loader


@checks.register()
def knowledge_files_are_valid(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """One error per problem in the knowledge files, naming the file, the entry and the field."""
    return [
        checks.Error(
            problem,
            hint="Fix the file and run `kneadwell knowledge check` (see docs/knowledge.md).",
            id="knowledge.E001",
        )
        for problem in loader.check()
    ]
