"""Logins: salted scrypt hashes, minimum length, throttled failures, expiring sessions, the accounts CLI,
and no password on the command line."""
import os
import sqlite3
import subprocess
import sys

import pytest

from bot.storage.accounts import (AccountError, Accounts, LoginThrottle, LoginThrottled, hash_password,
                                  verify_password)


class Clock:
    def __init__(self, t: float = 1000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_passwords_are_stored_as_salted_scrypt_hashes(tmp_path):
    a, b = hash_password("correct horse battery"), hash_password("correct horse battery")
    assert a != b and a.startswith("scrypt$16384$8$1$")  # a fresh salt each time
    assert verify_password("correct horse battery", a) and verify_password("correct horse battery", b)
    assert not verify_password("correct horse batterz", a) and not verify_password("x", "garbage")
    accounts = Accounts(tmp_path / "replay.sqlite3")
    accounts.add("ann", "rater", "correct horse battery")
    stored = sqlite3.connect(tmp_path / "replay.sqlite3").execute("SELECT name, role, password_hash FROM accounts").fetchall()
    assert stored[0][:2] == ("ann", "rater") and "correct horse" not in stored[0][2]
    assert accounts.authenticate("ann", "correct horse battery").role == "rater"


def test_weak_names_roles_and_passwords_are_refused(tmp_path):
    accounts = Accounts(tmp_path / "replay.sqlite3")
    for name, role, password, message in (("ann", "rater", "short1", "at least 10"),
                                          ("ann", "admin", "long enough pw", "role must be"),
                                          ("a n", "rater", "long enough pw", "invalid account name"),
                                          ("annannannann", "rater", "annannannann", "must not be the account name")):
        with pytest.raises(AccountError, match=message):
            accounts.add(name, role, password)
    accounts.add("ann", "rater", "long enough pw")
    with pytest.raises(AccountError, match="exists already"):
        accounts.add("ann", "operator", "another long pw")
    assert accounts.list()[0]["role"] == "rater"


def test_failed_logins_back_off_exponentially_per_account_and_address(tmp_path):
    clock = Clock()
    accounts = Accounts(tmp_path / "replay.sqlite3", throttle=LoginThrottle(clock=clock))
    accounts.add("ann", "operator", "the right password")
    for _ in range(3):  # three free failures
        assert accounts.authenticate("ann", "wrong password", "10.0.0.1") is None
    with pytest.raises(LoginThrottled) as wait:  # the 4th must wait 1 s, and is not even checked
        accounts.authenticate("ann", "the right password", "10.0.0.1")
    assert wait.value.retry_after == 1
    assert accounts.authenticate("ann", "the right password", "10.0.0.2") is not None  # another address is not held up
    delays = []
    for _ in range(4):
        clock.t += 10_000
        assert accounts.authenticate("ann", "wrong password", "10.0.0.1") is None
        with pytest.raises(LoginThrottled) as wait:
            accounts.authenticate("ann", "wrong password", "10.0.0.1")
        delays.append(wait.value.retry_after)
    assert delays == [2, 4, 8, 16]
    clock.t += 10_000
    assert accounts.authenticate("ann", "the right password", "10.0.0.1").name == "ann"  # success resets the count
    assert accounts.authenticate("ann", "wrong password", "10.0.0.1") is None
    assert accounts.authenticate("ann", "the right password", "10.0.0.1") is not None


def test_one_address_trying_many_accounts_is_throttled_too():
    clock = Clock()
    throttle = LoginThrottle(free=3, free_ip=5, clock=clock)
    for n in range(5):  # one failure on each of 5 accounts: no account reaches 3, the address reaches 5
        throttle.begin(f"user{n}", "10.0.0.9")
        throttle.end(f"user{n}", "10.0.0.9", ok=False)
    throttle.begin("user0", "10.0.0.10")  # another address is free
    with pytest.raises(LoginThrottled):
        throttle.begin("someone-new", "10.0.0.9")


def test_sessions_expire_and_end_on_logout_or_a_new_password(tmp_path):
    clock = Clock()
    accounts = Accounts(tmp_path / "replay.sqlite3", session_ttl_s=8 * 3600, clock=clock)
    accounts.add("op", "operator", "operator password")
    token, account = accounts.login("op", "operator password", "10.0.0.1")
    assert accounts.session(token) == account and accounts.session("forged") is None
    clock.t += 8 * 3600 - 1
    assert accounts.session(token) is not None
    clock.t += 2
    assert accounts.session(token) is None  # expired
    token, _ = accounts.login("op", "operator password")
    accounts.logout(token)
    assert accounts.session(token) is None
    token, _ = accounts.login("op", "operator password")
    accounts.add("op", "operator", "a new operator password", replace=True)
    assert accounts.session(token) is None
    assert sqlite3.connect(tmp_path / "replay.sqlite3").execute(  # only hashes of the tokens are stored
        "SELECT COUNT(*) FROM login_sessions WHERE token_hash = ?", (token,)).fetchone() == (0,)


def rlcs(*args, stdin: str = "", env: dict | None = None):
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], input=stdin, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def test_accounts_cli_reads_the_password_from_stdin_or_env(tmp_path):
    db = str(tmp_path / "replay.sqlite3")
    assert rlcs("accounts", "add", "rita", "--role", "rater", "--db", db, stdin="rita's password\n").returncode == 0
    done = rlcs("accounts", "add", "olga", "--role", "operator", "--db", db,
                env={"RLCS_ACCOUNT_PASSWORD": "olga's password"})
    assert done.returncode == 0, done.stderr
    short = rlcs("accounts", "add", "sam", "--role", "rater", "--db", db, stdin="short\n")
    assert short.returncode == 1 and "at least 10 characters" in short.stderr and "Traceback" not in short.stderr
    listed = rlcs("accounts", "list", "--db", db).stdout
    assert "olga\toperator" in listed and "rita\trater" in listed and "sam" not in listed
    accounts = Accounts(db)
    assert accounts.authenticate("rita", "rita's password") and accounts.authenticate("olga", "olga's password")


@pytest.mark.parametrize("command, flag", [("serve", "--admin-password"), ("rate", "--rater-password")])
def test_a_password_on_the_command_line_is_refused(command, flag):
    result = rlcs(command, flag, "s3cret-s3cret")
    assert result.returncode == 2 and "RLCS_ADMIN_PASSWORD" in result.stderr and "(ps" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_short_admin_password_is_refused(tmp_path):
    result = rlcs("rate", "--db", str(tmp_path / "replay.sqlite3"), env={"RLCS_ADMIN_PASSWORD": "a"})
    assert result.returncode == 1 and "RLCS_ADMIN_PASSWORD: a password needs at least 10" in result.stderr
    (tmp_path / "pw").write_text("short\n")
    result = rlcs("rate", "--db", str(tmp_path / "replay.sqlite3"), "--admin-password-file", str(tmp_path / "pw"))
    assert result.returncode == 1 and "at least 10" in result.stderr
