"""Production (DEBUG off) HTTPS defaults, checked in fresh processes with production values.

The suite itself runs over plain http with SECURE_SSL_REDIRECT=0 (see the Makefile): these tests
drop such overrides so they see what a deployment gets.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What a test run or a developer's shell may set, removed so the defaults are what is tested.
OVERRIDES = (
    "DEBUG",
    "DEMO_MODE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_AGE",
    "SESSION_ABSOLUTE_SECONDS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by tests/conftest.py for the browser tests
    "PORTAL_BASE_URL",
)

SETTINGS_AS_JSON = (
    "import json, isp_portal.settings as s; print(json.dumps({name: getattr(s, name) for name in ("
    "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
    "'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
    "'SECURE_PROXY_SSL_HEADER')}))"
)


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in OVERRIDES}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="isp-portal.example",
        PORTAL_BASE_URL="https://isp-portal.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        DJANGO_SETTINGS_MODULE="isp_portal.settings",
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def settings_with(tmp_path: Path, **extra: str) -> dict:
    result = run(["-c", SETTINGS_AS_JSON], production_env(tmp_path, **extra))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "W0" not in output
    assert "?:" not in output
    lines = output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("System check identified no issues")


def test_production_defaults_are_https_only(tmp_path):
    assert settings_with(tmp_path) == {
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_proxy_header_is_trusted_only_when_configured(tmp_path):
    configured = settings_with(tmp_path, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https")
    assert configured["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert settings_with(tmp_path, SECURE_PROXY_SSL_HEADER="")["SECURE_PROXY_SSL_HEADER"] is None


@pytest.mark.parametrize("value", ["HTTP_X_FORWARDED_PROTO", "X_FORWARDED_PROTO,https", "a,b,c"])
def test_a_malformed_proxy_header_refuses_to_start(tmp_path, value):
    result = run(["-c", SETTINGS_AS_JSON], production_env(tmp_path, SECURE_PROXY_SSL_HEADER=value))
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must be" in result.stderr


def test_preload_only_when_configured(tmp_path):
    assert settings_with(tmp_path, SECURE_HSTS_PRELOAD="1")["SECURE_HSTS_PRELOAD"] is True


def test_debug_on_keeps_plain_http_for_the_demo(tmp_path):
    demo = settings_with(tmp_path, DEBUG="1")
    assert demo["SECURE_SSL_REDIRECT"] is False
    assert demo["SECURE_HSTS_SECONDS"] == 0
    assert demo["SESSION_COOKIE_SECURE"] is False
    assert demo["SECURE_PROXY_SSL_HEADER"] is None


def test_deploy_check_warns_when_email_links_are_not_https(tmp_path):
    # Password-set links travel in emails: they must point at the portal over HTTPS.
    result = run(
        ["manage.py", "check", "--deploy"],
        production_env(tmp_path, PORTAL_BASE_URL="http://127.0.0.1:8000"),
    )
    assert "isp_portal.W001" in result.stdout + result.stderr


# Through django.conf, so Django's defaults (cookie domain and path) are included.
COOKIES_AS_JSON = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({name: getattr(s, name) for name in ("
    "'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', 'SESSION_COOKIE_DOMAIN', 'CSRF_COOKIE_DOMAIN', "
    "'SESSION_COOKIE_PATH', 'CSRF_COOKIE_PATH', 'SESSION_COOKIE_AGE', "
    "'SESSION_ABSOLUTE_SECONDS')}))"
)


def cookie_settings_with(tmp_path: Path, **extra: str) -> dict:
    result = run(["-c", COOKIES_AS_JSON], production_env(tmp_path, **extra))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_cookies_carry_the_host_prefix(tmp_path):
    """__Host-: the browser keeps the cookie only if it is Secure, has no Domain and the path /,
    so no other host (a sibling subdomain) can set or overwrite it."""
    assert cookie_settings_with(tmp_path) == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SESSION_COOKIE_DOMAIN": None,
        "CSRF_COOKIE_DOMAIN": None,
        "SESSION_COOKIE_PATH": "/",
        "CSRF_COOKIE_PATH": "/",
        "SESSION_COOKIE_AGE": 30 * 60,
        "SESSION_ABSOLUTE_SECONDS": 12 * 60 * 60,
    }


def test_cookies_over_plain_http_keep_their_plain_names(tmp_path):
    # A browser refuses a __Host- cookie that is not Secure: the demo would lose its session.
    demo = cookie_settings_with(tmp_path, DEBUG="1")
    assert demo["SESSION_COOKIE_NAME"] == "sessionid"
    assert demo["CSRF_COOKIE_NAME"] == "csrftoken"


def test_the_absolute_session_limit_is_configurable(tmp_path):
    limits = cookie_settings_with(tmp_path, SESSION_ABSOLUTE_SECONDS="28800")
    assert limits["SESSION_ABSOLUTE_SECONDS"] == 8 * 60 * 60
