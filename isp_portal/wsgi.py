import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isp_portal.settings")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as exc:
    # A configuration mistake (e.g. no SECRET_KEY in production): one line, no traceback.
    raise SystemExit(f"ISP Portal refuses to start: {exc}") from None
