"""The model permissions of the portal administrator: organisations, accounts and the legislation
list. Nothing that holds personal data about subjects."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from governance.people.models import User

PORTAL_ADMIN_GROUP = "Portal administrators"
PORTAL_ADMIN_PERMISSIONS = [
    ("governance", "add_organisation"),
    ("governance", "change_organisation"),
    ("governance", "view_organisation"),
    ("governance", "add_user"),
    ("governance", "change_user"),
    ("governance", "view_user"),
    ("requests_app", "add_legislation"),
    ("requests_app", "change_legislation"),
    ("requests_app", "view_legislation"),
]


def portal_admin_group_sync() -> Group:
    group, _ = Group.objects.get_or_create(name=PORTAL_ADMIN_GROUP)
    perms = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in PORTAL_ADMIN_PERMISSIONS
    ]
    group.permissions.set(perms)
    for admin in User.objects.filter(is_portal_admin=True):
        admin.groups.add(group)
    return group
