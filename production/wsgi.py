"""WSGI entry point (gunicorn, or the launcher's development server)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "production.settings")
application = get_wsgi_application()
