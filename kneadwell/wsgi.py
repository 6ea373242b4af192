"""WSGI entry point for production servers (see docs/deploy.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kneadwell.settings")
application = get_wsgi_application()
