"""The suite runs on the real components the portal runs on."""

import os

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a developer's quick run on SQLite",
)
def test_the_suite_runs_on_a_postgresql_server():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        major = int(cursor.fetchone()[0].split(".")[0])
    assert major >= 13
