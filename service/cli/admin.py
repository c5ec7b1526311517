"""`asuh admin create`: dashboard accounts."""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from service import audit
from service.models import AdminUser, db
from service.passwords import hash_password
from service.states import AdminRole

admin = AppGroup("admin", help="Manage dashboard accounts.")


@admin.command("create")
@click.option("--username", required=True)
@click.option(
    "--role",
    default="admin",
    show_default=True,
    type=click.Choice([role.value for role in AdminRole]),
)
def admin_create(username, role):
    """Create a dashboard account (or reset the password of an existing one)."""
    password = read_password()
    if len(password) < 8:
        raise click.BadParameter("use at least 8 characters", param_hint="password")
    user = db.session.scalar(select(AdminUser).where(AdminUser.username == username))
    if user is None:
        user = AdminUser(username=username)
        db.session.add(user)
    user.password_hash, user.role = hash_password(password), role
    db.session.flush()
    audit.record("cli", "admin.create", "admin_user", user.id, username=username, role=role)
    db.session.commit()
    click.echo(f"account {username} ({role}) ready")


def read_password():
    """One line from piped stdin, or a hidden prompt asked twice at a terminal."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)
