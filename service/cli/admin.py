"""`asuh admin create`: dashboard accounts."""

import re
import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from service import audit
from service.models import AdminUser, db
from service.passwords import hash_password
from service.states import AdminRole

admin = AppGroup("admin", help="Manage dashboard accounts.")
USERNAME = re.compile(r"[A-Za-z0-9._@-]{1,80}")
MIN_PASSWORD = 8


@admin.command("create")
@click.option("--username", required=True)
@click.option(
    "--role",
    default=None,
    type=click.Choice([role.value for role in AdminRole]),
    help="admin (the default for a new account) or viewer",
)
@click.option("--change-role", is_flag=True, help="allow --role to change an existing account")
def admin_create(username, role, change_role):
    """Create a dashboard account, or set a new password for an existing one.

    An existing account keeps its role unless --role is given with --change-role; a new
    password signs the account out of every browser.
    """
    username = username.strip()
    user = db.session.scalar(select(AdminUser).where(AdminUser.username == username))
    if user is None:
        return _create(username, role or AdminRole.ADMIN)
    if role and role != user.role and not change_role:
        raise click.ClickException(
            f"account {username} exists already, as {user.role}. To make it {role}, run this "
            "again with --change-role; nothing was changed."
        )
    return _reset(user, role if change_role else None)


def _create(username, role):
    if not USERNAME.fullmatch(username):
        raise click.BadParameter(
            "use 1-80 letters, digits, dots, dashes, underscores or @", param_hint="--username"
        )
    user = AdminUser(username=username, password_hash=hash_password(read_password()), role=role)
    db.session.add(user)
    db.session.flush()
    audit.record("cli", "admin.create", "admin_user", user.id, username=username, role=role)
    db.session.commit()
    click.echo(f"account {username} ({role}) created")


def _reset(user, new_role):
    """A new password (and the role, when asked to change it); old sessions end."""
    user.password_hash = hash_password(read_password())
    user.end_sessions()
    detail = {"username": user.username}
    if new_role and new_role != user.role:
        detail["role"] = [user.role, new_role]
        user.role = new_role
    audit.record("cli", "admin.reset", "admin_user", user.id, **detail)
    db.session.commit()
    changed = f"; role is now {user.role}" if "role" in detail else f"; role stays {user.role}"
    click.echo(f"account {user.username}: new password set, signed out everywhere{changed}")


def read_password():
    """One line from piped stdin, or a hidden prompt asked twice at a terminal."""
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise click.BadParameter(f"use at least {MIN_PASSWORD} characters", param_hint="password")
    return password
