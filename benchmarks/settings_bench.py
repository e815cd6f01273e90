"""Settings for benchmarks/casework.py's gunicorn: the portal's own settings, with a URLconf
that adds one bare view (benchmarks/urls.py) and plain static files (no collectstatic manifest).
The product's settings and URLs carry no benchmark hook."""

import warnings

from isp_portal.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Whitenoise warns that the collectstatic folder is missing: static files are not measured.
warnings.filterwarnings("ignore", message="No directory at")
