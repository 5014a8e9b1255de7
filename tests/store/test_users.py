"""Users: Argon2id hashes, roles, lock-out after failed sign-ins, the command line."""

from __future__ import annotations

import pytest

from store import open_workspace
from store import users as u


@pytest.fixture
def ws(tmp_path):
    return open_workspace(tmp_path / "ws.gpkg")


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
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("a very good password\n"))
    assert u.main(["--workspace", ws.location, "add", "admin1", "--role", "admin", "--password-stdin"]) == 0
    assert u.main(["--workspace", ws.location, "list"]) == 0
    assert "admin1" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert u.main(["--workspace", ws.location, "passwd", "admin1", "--password-stdin"]) == 2
    assert "至少" in capsys.readouterr().err
