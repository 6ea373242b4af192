"""What every command that touches the database calls first."""

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kneadwell.settings")
    import django

    django.setup()
