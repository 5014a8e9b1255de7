"""Users and roles of the workspace, with passwords hashed by Argon2id (``argon2-cffi``).

Roles, each including the one before:

* ``viewer``  — plan layers, site selection, 亩产效益 *aggregates* (areas with ≥ 3 firms) only;
* ``analyst`` — enterprise-level data, uploads, evaluations, saving runs and studies;
* ``admin``   — users and data sets.

User names are NFKC-normalised and may hold letters and digits of any script (汉字 included) and
``_ . - @``, 1–64 characters: no control, zero-width, bidi or other invisible characters, which
could spoof another name or reach a terminal as an escape sequence.

Command line (passwords are read without echo, or from standard input; the workspace must exist,
see ``python -m store.workspace init``)::

    python -m store.users add NAME --role admin [--email E] [--workspace PATH]
    python -m store.users list | passwd NAME | role NAME ROLE | disable NAME | enable NAME
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
import unicodedata
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import text

from store.workspace import Workspace, WorkspaceError, add_workspace_option, now_utc, open_cli_workspace

__all__ = [
    "MIN_PASSWORD",
    "ROLES",
    "User",
    "UserError",
    "add_user",
    "authenticate",
    "has_role",
    "list_users",
    "normalise_email",
    "normalise_username",
    "printable",
    "set_disabled",
    "set_password",
    "set_role",
    "user_by_email",
]

ROLES = ("viewer", "analyst", "admin")
MIN_PASSWORD = 10
MAX_NAME = 64
MAX_EMAIL = 254  # RFC 5321 path limit
_NAME_PUNCTUATION = frozenset("_.-@")
_NAME_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd"})  # letters of any script, decimal digits
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


_CONTROL_NAMES = {"\x00": "NULL", "\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x1b": "ESCAPE",
                  "\x7f": "DELETE"}  # fmt: skip


def _describe(char: str) -> str:
    """``U+200B ZERO WIDTH SPACE``: a character named without printing it."""
    return f"U+{ord(char):04X} {unicodedata.name(char, '') or _CONTROL_NAMES.get(char, '')}".rstrip()


def _refusal(char: str, what_zh: str, what_en: str) -> str:
    """Why ``char`` is refused, in Chinese and English, naming it by code point (never raw)."""
    category = unicodedata.category(char)
    shown = _describe(char)
    if category == "Cc":
        return f"{what_zh}含控制字符 {shown} / {what_en} contains the control character {shown}"
    if category == "Cf":
        return (f"{what_zh}含不可见的格式字符（零宽或双向控制）{shown} / {what_en} contains the invisible format "
                f"character (zero-width or bidi control) {shown}")  # fmt: skip
    if category.startswith("Z"):
        return f"{what_zh}不能含空白 {shown} / {what_en} cannot contain white space ({shown})"
    if category.startswith("C"):
        return f"{what_zh}含无效字符 {shown} / {what_en} contains the invalid character {shown}"
    if char.isprintable():
        shown = f"“{char}” {shown}"
    return f"{what_zh}含不允许的字符 {shown} / {what_en} contains the character {shown}, which is not allowed"


def normalise_username(username: str) -> str:
    """The user name in NFKC form, checked: letters, digits, ``_ . - @``, 1–64 characters.

    Letters and digits of any script are allowed (``王工``, ``analyst_01``); full-width forms fold to
    their ASCII equivalents (``ｗａｎｇ`` → ``wang``).

    Raises
    ------
    UserError
        The name is empty, too long, or holds a control character (such as a terminal escape), an
        invisible format character (zero-width space, bidi override), white space or punctuation
        other than ``_ . - @``; the message names the character by its code point.

    Examples
    --------
    >>> normalise_username("ｗａｎｇ_01")
    'wang_01'
    >>> normalise_username("王工")
    '王工'
    """
    name = unicodedata.normalize("NFKC", username or "")
    if not 1 <= len(name) <= MAX_NAME:
        raise UserError(f"用户名须为 1–{MAX_NAME} 个字符 / the user name must be 1–{MAX_NAME} characters long")
    for char in name:
        if char not in _NAME_PUNCTUATION and unicodedata.category(char) not in _NAME_CATEGORIES:
            raise UserError(
                _refusal(char, "用户名", "the user name")
                + "；只允许字母、数字和 _ . - @ / only letters, digits and _ . - @ are allowed"
            )
    return name


def normalise_email(email: str | None) -> str | None:
    """The e-mail address in NFKC form (``None`` for none), checked: ``local@domain``, ≤ 254 characters,
    no white space, control or invisible format characters.

    Raises
    ------
    UserError
        The address is malformed or holds a character that is refused (named by code point).
    """
    if email is None or not email.strip():
        return None
    address = unicodedata.normalize("NFKC", email)
    for char in address:
        if unicodedata.category(char)[0] in "CZ":
            raise UserError(_refusal(char, "电子邮件地址", "the e-mail address"))
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or len(address) > MAX_EMAIL:
        raise UserError(
            f"电子邮件地址须为 名称@域名，最多 {MAX_EMAIL} 个字符 / the e-mail address must look like name@domain "
            f"and have at most {MAX_EMAIL} characters"
        )
    return address


def printable(value: object) -> str:
    """``value`` as text safe to print on a terminal: control, format and other invisible characters
    are shown as ``\\u200b``-style escapes (for names stored before they were checked)."""
    text_value = "" if value is None else str(value)
    return "".join(
        c if c == " " or unicodedata.category(c)[0] not in "CZ" else c.encode("unicode_escape").decode("ascii")
        for c in text_value
    )


def _check(username: str | None = None, role: str | None = None, password: str | None = None) -> str | None:
    """Check what is given; returns the normalised user name (``None`` when no name is given)."""
    name = None if username is None else normalise_username(username)
    if role is not None and role not in ROLES:
        raise UserError(f"角色须为 {', '.join(ROLES)} / role must be one of {ROLES}")
    if password is not None and len(password) < MIN_PASSWORD:
        raise UserError(f"密码至少 {MIN_PASSWORD} 个字符 / the password needs at least {MIN_PASSWORD} characters")
    return name


def _nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "")


def _stored_name(conn, username: str) -> str | None:
    """The name as stored: ``username`` itself, else its NFKC form (names stored before they were
    normalised stay reachable, so that an administrator can still disable them)."""
    row = conn.execute(
        text("SELECT username FROM users WHERE username IN (:u, :n) ORDER BY (username = :u) DESC LIMIT 1"),
        {"u": username, "n": _nfkc(username)},
    ).first()
    return row[0] if row else None


def add_user(ws: Workspace, username: str, password: str, role: str, email: str | None = None, by: str = "") -> None:
    """Create a user. Raises :class:`UserError` for a bad name, role, password, e-mail or a taken name.

    The name and e-mail address are stored NFKC-normalised (see :func:`normalise_username`).
    """
    name = _check(username, role, password)
    assert name is not None  # a name was given
    username = name
    email = normalise_email(email)
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

    The name is matched as typed or in its NFKC form (``ｗａｎｇ`` signs in as ``wang``). After
    :data:`MAX_FAILURES` failures in :data:`LOCK_SECONDS` a name is refused for that long (raises
    :class:`UserError`), whatever the password.
    """
    key = _nfkc(username)
    now = time.monotonic()
    recent = [t for t in _failures.get(key, []) if now - t < LOCK_SECONDS]
    if len(recent) >= MAX_FAILURES:
        raise UserError("登录失败次数过多，请 5 分钟后再试 / too many failed logins; try again in 5 minutes")
    with ws.engine.connect() as conn:
        stored = _stored_name(conn, username)
        row = conn.execute(
            text("SELECT password_hash, role, email, disabled FROM users WHERE username = :u"), {"u": stored}
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
        _failures[key] = [*recent, now]
        return None
    _failures.pop(key, None)
    assert row is not None and stored is not None  # ok is True only for a found, enabled user
    if _HASHER.check_needs_rehash(row[0]):
        set_password(ws, stored, password, by=stored)
    return User(stored, row[1], row[2])


def user_by_email(ws: Workspace, email: str) -> User | None:
    """The enabled user with this e-mail address (for single sign-on through OIDC)."""
    with ws.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT username, role, email FROM users WHERE lower(email) IN (lower(:e), lower(:n)) AND disabled = 0"
            ),
            {"e": email, "n": _nfkc(email)},
        ).first()
    return User(*row) if row else None


def _update(ws: Workspace, username: str, sql: str, params: dict, action: str, by: str) -> None:
    with ws.transaction() as conn:
        stored = _stored_name(conn, username)
        if stored is None:
            raise UserError(f"没有这个用户 / no user {username!r}")
        conn.execute(text(sql), {**params, "u": stored})
        ws.audit(conn, by, action, f"users/{stored}")


def set_password(ws: Workspace, username: str, password: str, by: str = "") -> None:
    _check(password=password)  # the name is looked up as stored (see _stored_name), not re-checked
    _update(ws, username, "UPDATE users SET password_hash = :h WHERE username = :u",
            {"h": _HASHER.hash(password)}, "set_password", by)  # fmt: skip


def set_role(ws: Workspace, username: str, role: str, by: str = "") -> None:
    _check(role=role)
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
    """Manage users from the command line; returns 0, or 2 with a one-line message.

    The workspace must exist (``python -m store.workspace init`` creates it): a mistyped
    ``--workspace`` is refused rather than becoming a new, empty workspace.
    """
    parser = argparse.ArgumentParser(prog="python -m store.users", description="工作空间用户 / workspace users")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--email")
    add.add_argument("--password-stdin", action="store_true")
    listing = sub.add_parser("list")
    pw = sub.add_parser("passwd")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")
    ro = sub.add_parser("role")
    ro.add_argument("name")
    ro.add_argument("role", choices=ROLES)
    toggles = [sub.add_parser(name) for name in ("disable", "enable")]
    for toggle in toggles:
        toggle.add_argument("name")
    add_workspace_option(parser, add, listing, pw, ro, *toggles)
    args = parser.parse_args(argv)
    try:
        ws = open_cli_workspace(args.workspace)
        if args.command == "add":
            add_user(ws, args.name, _password(args), args.role, args.email, by="cli")
        elif args.command == "passwd":
            set_password(ws, args.name, _password(args), by="cli")
        elif args.command == "role":
            set_role(ws, args.name, args.role, by="cli")
        elif args.command in ("disable", "enable"):
            set_disabled(ws, args.name, args.command == "disable", by="cli")
        else:
            users = list_users(ws)
            for column in ("username", "email"):  # names stored before they were checked may hold escapes
                users[column] = users[column].map(printable)
            print(users.to_string(index=False))
            return 0
    except (UserError, WorkspaceError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    print("完成 / done")
    return 0


if __name__ == "__main__":
    from cli.pipes import quiet_pipe

    sys.exit(quiet_pipe(main))
