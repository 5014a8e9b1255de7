"""Users and roles of the workspace, with passwords hashed by Argon2id (``argon2-cffi``).

Roles, each including the one before:

* ``viewer``  — plan layers, site selection, 亩产效益 *aggregates* (areas with ≥ 3 firms) only;
* ``analyst`` — enterprise-level data, uploads, evaluations, saving runs and studies;
* ``admin``   — users and data sets.

Command line (passwords are read without echo, or from standard input)::

    python -m store.users add NAME --role admin [--email E] [--workspace PATH]
    python -m store.users list | passwd NAME | role NAME ROLE | disable NAME | enable NAME
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import text

from store.workspace import Workspace, WorkspaceError, now_utc, open_workspace

__all__ = [
    "MIN_PASSWORD",
    "ROLES",
    "User",
    "UserError",
    "add_user",
    "authenticate",
    "has_role",
    "list_users",
    "set_disabled",
    "set_password",
    "set_role",
    "user_by_email",
]

ROLES = ("viewer", "analyst", "admin")
MIN_PASSWORD = 10
MAX_FAILURES = 5  # failed logins before a name is locked for LOCK_SECONDS
LOCK_SECONDS = 300
_HASHER = PasswordHasher()  # Argon2id with the library's current recommended parameters
_failures: dict[str, list[float]] = {}


class UserError(ValueError):
    """A user operation is not allowed or its input is invalid (bilingual message)."""


@dataclass(frozen=True)
class User:
    """A signed-in (or looked-up) user."""

    username: str
    role: str
    email: str | None = None

    def has(self, role: str) -> bool:
        return has_role(self.role, role)


def has_role(role: str, needed: str) -> bool:
    """Whether ``role`` includes ``needed`` (admin ⊇ analyst ⊇ viewer)."""
    return ROLES.index(role) >= ROLES.index(needed)


def _check(username: str, role: str | None = None, password: str | None = None) -> None:
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise UserError("用户名须为 1–64 个非空白字符 / the user name must be 1–64 characters without spaces")
    if role is not None and role not in ROLES:
        raise UserError(f"角色须为 {', '.join(ROLES)} / role must be one of {ROLES}")
    if password is not None and len(password) < MIN_PASSWORD:
        raise UserError(f"密码至少 {MIN_PASSWORD} 个字符 / the password needs at least {MIN_PASSWORD} characters")


def add_user(ws: Workspace, username: str, password: str, role: str, email: str | None = None, by: str = "") -> None:
    """Create a user. Raises :class:`UserError` for a bad name, role, password or a taken name."""
    _check(username, role, password)
    with ws.transaction() as conn:
        taken = conn.execute(text("SELECT 1 FROM users WHERE username = :u"), {"u": username}).first()
        if taken:
            raise UserError(f"用户名已存在 / user {username!r} exists")
        conn.execute(
            text("INSERT INTO users (username, password_hash, role, email, created_at) VALUES (:u, :h, :r, :e, :t)"),
            {"u": username, "h": _HASHER.hash(password), "r": role, "e": email, "t": now_utc()},
        )
        ws.audit(conn, by or username, "add_user", f"users/{username}")


def authenticate(ws: Workspace, username: str, password: str) -> User | None:
    """The user if the password is right and the account enabled; ``None`` otherwise.

    After :data:`MAX_FAILURES` failures in :data:`LOCK_SECONDS` a name is refused for that long
    (raises :class:`UserError`), whatever the password.
    """
    now = time.monotonic()
    recent = [t for t in _failures.get(username, []) if now - t < LOCK_SECONDS]
    if len(recent) >= MAX_FAILURES:
        raise UserError("登录失败次数过多，请 5 分钟后再试 / too many failed logins; try again in 5 minutes")
    with ws.engine.connect() as conn:
        row = conn.execute(
            text("SELECT password_hash, role, email, disabled FROM users WHERE username = :u"), {"u": username}
        ).first()
    ok = False
    if row is not None and row[0] and not row[3]:
        try:
            ok = _HASHER.verify(row[0], password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _HASHER.hash(password)  # same work for unknown names: no timing hint that a name exists
    if not ok:
        _failures[username] = [*recent, now]
        return None
    _failures.pop(username, None)
    if _HASHER.check_needs_rehash(row[0]):
        set_password(ws, username, password, by=username)
    return User(username, row[1], row[2])


def user_by_email(ws: Workspace, email: str) -> User | None:
    """The enabled user with this e-mail address (for single sign-on through OIDC)."""
    with ws.engine.connect() as conn:
        row = conn.execute(
            text("SELECT username, role, email FROM users WHERE lower(email) = lower(:e) AND disabled = 0"),
            {"e": email},
        ).first()
    return User(*row) if row else None


def _update(ws: Workspace, username: str, sql: str, params: dict, action: str, by: str) -> None:
    with ws.transaction() as conn:
        done = conn.execute(text(sql), {**params, "u": username}).rowcount
        if not done:
            raise UserError(f"没有这个用户 / no user {username!r}")
        ws.audit(conn, by, action, f"users/{username}")


def set_password(ws: Workspace, username: str, password: str, by: str = "") -> None:
    _check(username, password=password)
    _update(ws, username, "UPDATE users SET password_hash = :h WHERE username = :u",
            {"h": _HASHER.hash(password)}, "set_password", by)  # fmt: skip


def set_role(ws: Workspace, username: str, role: str, by: str = "") -> None:
    _check(username, role=role)
    _update(ws, username, "UPDATE users SET role = :r WHERE username = :u", {"r": role}, "set_role", by)


def set_disabled(ws: Workspace, username: str, disabled: bool, by: str = "") -> None:
    _update(ws, username, "UPDATE users SET disabled = :d WHERE username = :u", {"d": int(disabled)},
            "disable" if disabled else "enable", by)  # fmt: skip


def list_users(ws: Workspace):
    """Users without their password hashes."""
    return ws.query("SELECT username, role, email, disabled, created_at FROM users ORDER BY username")


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码 / password: ")
    if first != getpass.getpass("再次输入 / again: "):
        raise UserError("两次输入的密码不一致 / the passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    """Manage users from the command line; returns 0, or 2 with a one-line message."""
    from views.settings import workspace_location

    parser = argparse.ArgumentParser(prog="python -m store.users", description="工作空间用户 / workspace users")
    parser.add_argument("--workspace", default=None, help="工作空间文件或数据库地址（默认 QDP_WORKSPACE）")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--email")
    add.add_argument("--password-stdin", action="store_true")
    sub.add_parser("list")
    pw = sub.add_parser("passwd")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")
    ro = sub.add_parser("role")
    ro.add_argument("name")
    ro.add_argument("role", choices=ROLES)
    for name in ("disable", "enable"):
        sub.add_parser(name).add_argument("name")
    args = parser.parse_args(argv)
    try:
        ws = open_workspace(args.workspace or workspace_location())
        if args.command == "add":
            add_user(ws, args.name, _password(args), args.role, args.email, by="cli")
        elif args.command == "passwd":
            set_password(ws, args.name, _password(args), by="cli")
        elif args.command == "role":
            set_role(ws, args.name, args.role, by="cli")
        elif args.command in ("disable", "enable"):
            set_disabled(ws, args.name, args.command == "disable", by="cli")
        else:
            print(list_users(ws).to_string(index=False))
            return 0
    except (UserError, WorkspaceError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    print("完成 / done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
