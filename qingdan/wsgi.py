"""WSGI entry point for `qingdan serve` (gunicorn) and any other WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingdan.settings")
application = get_wsgi_application()

from qingdan.search.text import warm  # noqa: E402

warm()  # loaded once in the gunicorn master (--preload) and shared by the workers
