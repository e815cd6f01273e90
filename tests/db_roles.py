"""The test suite's two database roles (scripts/pg-test.sh, docs/security.md).

The suite connects as the schema's owner and switches each session to the portal's role at once
(DATABASE_URL's `?assume_role=`, Django's OPTIONS["assume_role"]), so the tests run with exactly
the portal's privileges. What only the owner may do, the owner does: creating the test database
and migrating it, emptying it between transactional tests (tests/conftest.py), and the tests that
tamper with the audit trail "behind the portal's back" (as_owner()).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import DatabaseError, connections

_lifted: dict[str, str] = {}


def app_role(alias: str = "default") -> str | None:
    """The role the suite's sessions switch to, or None (SQLite; or one role for everything)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    return connection.settings_dict.get("OPTIONS", {}).get("assume_role") or _lifted.get(alias)


def lift() -> None:
    """New connections stay the owner (the switch is made when a connection opens)."""
    for connection in connections.all(initialized_only=False):
        options = connection.settings_dict.get("OPTIONS", {})
        if connection.vendor == "postgresql" and "assume_role" in options:
            _lifted[connection.alias] = options.pop("assume_role")
            connection.close()


def restore() -> None:
    for alias, role in list(_lifted.items()):
        connection = connections[alias]
        connection.settings_dict.setdefault("OPTIONS", {})["assume_role"] = role
        connection.close()
        del _lifted[alias]


@contextlib.contextmanager
def as_owner(alias: str = "default") -> Iterator[None]:
    """Act as the schema's owner until the block ends, on the open connection too.

    Inside a test's transaction both switches are part of it; a connection that died in the block
    is closed, and the next one opens as the portal's role again."""
    connection = connections[alias]
    options = connection.settings_dict.get("OPTIONS", {})
    role = options.get("assume_role")
    if connection.vendor != "postgresql" or not role:
        yield
        return
    del options["assume_role"]
    if connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        options["assume_role"] = role
        if connection.connection is not None:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"SET ROLE {connection.ops.quote_name(role)}")
            except DatabaseError:
                connection.close()
