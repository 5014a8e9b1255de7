"""Users: Argon2id hashes, roles, lock-out after failed sign-ins, the command line."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import text

from store import open_workspace
from store import users as u


@pytest.fixture
def ws(tmp_path):
    return open_workspace(tmp_path / "ws.gpkg")


HOSTILE_NAMES = {
    "\x1b[31mroot": "U+001B ESCAPE",  # a terminal escape: would colour (or worse) the admin's terminal
    "a\u200bb": "U+200B ZERO WIDTH SPACE",  # looks like "ab"
    "\u202eevil": "U+202E RIGHT-TO-LEFT OVERRIDE",  # reverses what follows on screen
    "a\nb": "U+000A LINE FEED",  # a forged second line in logs and listings
    "a\u2066b": "U+2066 LEFT-TO-RIGHT ISOLATE",
    "admin\ufeff": "U+FEFF ZERO WIDTH NO-BREAK SPACE",
    "a b": "U+0020 SPACE",
    "a\u3000b": "U+0020 SPACE",  # the ideographic space folds to a space under NFKC, then is refused
    "wang<script>": "“<” U+003C LESS-THAN SIGN",
    "o\u0301": None,  # composes to "ó" under NFKC: accepted
}


@pytest.mark.parametrize("name", list(HOSTILE_NAMES))
def test_hostile_user_names_are_refused_with_the_character_named(ws, name):
    named = HOSTILE_NAMES[name]
    if named is None:
        u.add_user(ws, name, "long enough pw", "viewer")
        assert ws.query("SELECT username FROM users")["username"].tolist() == ["ó"]
        return
    with pytest.raises(u.UserError) as refused:
        u.add_user(ws, name, "long enough pw", "viewer")
    message = str(refused.value)
    assert named in message and " / " in message  # Chinese / English, the character named by code point
    assert not any(c in message for c in "\x1b\u200b\u202e\n\u2066\ufeff")  # ... and never printed raw
    assert ws.query("SELECT count(*) AS n FROM users")["n"].iloc[0] == 0


def test_user_names_are_nfkc_normalised_letters_digits_and_a_little_punctuation(ws):
    for name in ("王工", "analyst_01", "li.ming-2@qd", "ｗａｎｇ", "Ⅻ王"):  # full width and Ⅻ fold to ASCII
        u.add_user(ws, name, "long enough pw", "viewer")
    assert set(ws.query("SELECT username FROM users")["username"]) == {"王工", "analyst_01", "li.ming-2@qd", "wang",
                                                                      "XII王"}  # fmt: skip
    assert u.authenticate(ws, "ｗａｎｇ", "long enough pw").username == "wang"  # signs in as typed either way
    with pytest.raises(u.UserError, match="exists"):
        u.add_user(ws, "wang", "long enough pw", "viewer")
    for name in ("", "x" * 65, "a/b", "a;b", "a'b", "😀"):
        with pytest.raises(u.UserError):
            u.add_user(ws, name, "long enough pw", "viewer")
    u.add_user(ws, "x" * 64, "long enough pw", "viewer")


def test_e_mail_addresses_are_checked_too(ws):
    for email in ("a\u200b@example.gov.cn", "\u202ea@example.gov.cn", "a@exa\x1bmple.cn", "a b@example.cn",
                  "no-at-sign", "@example.cn", "a@", "x" * 250 + "@qd.cn"):  # fmt: skip
        with pytest.raises(u.UserError, match="e-mail"):
            u.add_user(ws, "zhao", "long enough pw", "viewer", email=email)
    u.add_user(ws, "zhao", "long enough pw", "viewer", email="ｚｈａｏ＠example.gov.cn")  # full width folds
    assert u.user_by_email(ws, "zhao@example.gov.cn").email == "zhao@example.gov.cn"
    u.add_user(ws, "qian", "long enough pw", "viewer", email="  ")  # blank means none
    assert ws.query("SELECT email FROM users WHERE username = 'qian'")["email"].tolist() == [None]


def test_a_name_stored_before_the_checks_can_still_be_managed_and_is_listed_escaped(ws, capsys):
    with ws.transaction() as conn:  # as an older version could have stored it
        conn.execute(text("INSERT INTO users (username, role, created_at) VALUES (:u, 'admin', 'then')"),
                     {"u": "\x1b[2Jroot\u202e"})  # fmt: skip
    u.set_disabled(ws, "\x1b[2Jroot\u202e", True, by="admin")
    u.set_role(ws, "\x1b[2Jroot\u202e", "viewer", by="admin")
    assert u.main(["--workspace", ws.location, "list"]) == 0
    out = capsys.readouterr().out
    assert "\\x1b[2Jroot\\u202e" in out and "\x1b" not in out and "\u202e" not in out


def test_passwords_are_hashed_and_checked(ws, tmp_path):
    u.add_user(ws, "analyst1", "correct horse battery", "analyst", email="a@example.gov.cn")
    assert u.authenticate(ws, "analyst1", "correct horse battery") == u.User("analyst1", "analyst", "a@example.gov.cn")
    assert u.authenticate(ws, "analyst1", "wrong password!!") is None
    assert u.authenticate(ws, "nobody", "correct horse battery") is None
    ws.checkpoint()
    raw = (tmp_path / "ws.gpkg").read_bytes()
    assert b"correct horse battery" not in raw and b"$argon2id$" in raw


def test_roles_nest_and_bad_input_is_refused(ws):
    assert u.has_role("admin", "analyst") and u.has_role("analyst", "viewer") and not u.has_role("viewer", "analyst")
    for name, password, role in (("", "long enough pw", "viewer"), ("a b", "long enough pw", "viewer"),
                                 ("ok", "short", "viewer"), ("ok", "long enough pw", "boss")):  # fmt: skip
        with pytest.raises(u.UserError):
            u.add_user(ws, name, password, role)
    u.add_user(ws, "v", "long enough pw", "viewer")
    with pytest.raises(u.UserError, match="exists"):
        u.add_user(ws, "v", "long enough pw", "viewer")
    u.set_role(ws, "v", "analyst", by="admin")
    assert u.authenticate(ws, "v", "long enough pw").role == "analyst"
    u.set_disabled(ws, "v", True, by="admin")
    assert u.authenticate(ws, "v", "long enough pw") is None
    with pytest.raises(u.UserError, match="no user"):
        u.set_role(ws, "ghost", "viewer")
    assert {"add_user", "set_role", "disable"} <= set(ws.audit_log()["action"])


def test_repeated_failures_lock_the_name_for_a_while(ws):
    u.add_user(ws, "target", "the real password", "viewer")
    for _ in range(u.MAX_FAILURES):
        assert u.authenticate(ws, "target", "guess guess guess") is None
    with pytest.raises(u.UserError, match="too many failed logins"):
        u.authenticate(ws, "target", "the real password")
    u._failures.clear()
    assert u.authenticate(ws, "target", "the real password") is not None


def test_single_sign_on_maps_e_mail_to_a_user(ws):
    u.add_user(ws, "zhang", "long enough pw", "analyst", email="Zhang@Example.gov.cn")
    assert u.user_by_email(ws, "zhang@example.gov.cn").username == "zhang"
    assert u.user_by_email(ws, "stranger@example.com") is None


def test_command_line_adds_and_lists_users(ws, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a very good password\n"))
    assert u.main(["--workspace", ws.location, "add", "admin1", "--role", "admin", "--password-stdin"]) == 0
    assert u.main(["--workspace", ws.location, "list"]) == 0
    assert "admin1" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert u.main(["--workspace", ws.location, "passwd", "admin1", "--password-stdin"]) == 2
    assert "至少" in capsys.readouterr().err


def test_command_line_refuses_a_workspace_that_does_not_exist(tmp_path, capsys, monkeypatch):
    mistyped = tmp_path / "workspce" / "workspace.gpkg"
    monkeypatch.setattr("sys.stdin", io.StringIO("a very good password\n"))
    assert u.main(["--workspace", str(mistyped), "add", "admin1", "--role", "admin", "--password-stdin"]) == 2
    err = capsys.readouterr().err
    assert "工作空间不存在" in err and "no workspace at" in err and "store.workspace" in err and "init" in err
    assert not mistyped.parent.exists()  # nothing created, not even the folder
    monkeypatch.setenv("QDP_WORKSPACE", str(mistyped))  # the same through the environment
    assert u.main(["list"]) == 2
    assert not mistyped.parent.exists()
    assert u.main(["list", "--workspace", str(mistyped)]) == 2  # --workspace also after the sub-command
    assert not mistyped.parent.exists()
