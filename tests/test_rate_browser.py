"""End to end in headless Chromium: two raters log in and each rate three items blind, then an operator looks.

The server is the real `rlcs rate` in a subprocess on a free port; the rows it wrote are read back
from SQLite and compared exactly with what the raters clicked.
"""
from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.ratings.statistics import krippendorff_alpha
from bot.storage.accounts import Accounts

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
SOURCES = ("src-alpha", "src-beta", "src-gamma")  # never shown to raters
ADMIN_PASSWORD = "operator-pass-1"
PASSWORDS = {"alice": "alice-password", "bob": "bob-password-1"}
# Each rater's opinion of each kind of reply: (score, reasons).
OPINION = {
    "alice": {"good": (5, []), "fine": (3, []), "poor": (1, ["wrong_info", "rude"])},
    "bob": {"good": (4, []), "fine": (4, []), "poor": (2, ["not_helpful"])},
}


def _items(path: Path) -> Path:
    questions = ["Where is my order 10021?", "Can I return a worn jacket?", "Do you ship to Canada?"]
    with open(path, "w") as f:
        for n, q in enumerate(questions):
            f.write(json.dumps({"id": f"q{n}", "context": [["customer", "Hi there"], ["bot", "Hello! How can I help?"],
                                                           ["customer", q]],
                                "candidates": [{"text": f"good answer {n}", "source": SOURCES[0]},
                                               {"text": f"fine answer {n}", "source": SOURCES[1]},
                                               {"text": f"poor answer {n}", "source": SOURCES[2]}]}) + "\n")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _result_plot(path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True)
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["first", "ppo"], [0.62, 0.67])
    fig.savefig(path)
    plt.close(fig)


@pytest.fixture
def server(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make chromium)")
    port, db = _free_port(), tmp_path / "replay.sqlite3"
    _result_plot(tmp_path / "eval-policy" / "policies.png")  # a job's plot in the runs folder (the db's folder)
    accounts = Accounts(db)
    for rater, password in PASSWORDS.items():
        accounts.add(rater, "rater", password)
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "rate", "--db", str(db), "--items",
                             str(_items(tmp_path / "items.jsonl")), "--session", "pilot", "--overlap", "2",
                             "--port", str(port)],
                            cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "RLCS_ADMIN_PASSWORD": ADMIN_PASSWORD})
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 90
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("rlcs rate did not start:\n" + (tmp_path / "server.log").read_text())
            time.sleep(0.3)
    yield url, db
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def _log_in(page, name: str, password: str) -> None:
    page.wait_for_selector("#login-name")
    page.fill("#login-name", name)
    page.fill("#login-password", password)
    page.click("#login-submit")


def _kind(text: str) -> str:
    return text.strip().splitlines()[-1].split()[0]  # "good" / "fine" / "poor"


def _rate_one(page, rater: str, position: int, use_keys: bool, comment: str | None = None) -> None:
    page.wait_for_selector(f"#rate-progress:has-text('Item {position} of 3')")
    kinds = [_kind(page.inner_text(f"#rate-reply-{s}")) for s in range(3)]
    assert sorted(kinds) == ["fine", "good", "poor"]
    for s, kind in enumerate(kinds):
        score = OPINION[rater][kind][0]
        if use_keys:
            page.keyboard.press(str(score))  # scores the highlighted reply, moves to the next
        else:
            page.click(f"#rate-score-{s} label[data-testid='{score}-radio-label']")
    for s, kind in enumerate(kinds):
        for reason in OPINION[rater][kind][1]:
            page.click(f"#rate-reasons-{s} label:has(input[name='{reason}']), "
                       f"#rate-reasons-{s} label:has-text('{reason.replace('_', ' ')}')")
    if comment:
        page.fill("#rate-comment textarea", comment)
    if use_keys:
        page.keyboard.press("Control+Enter")
    else:
        page.click("#rate-submit")


def _rows(db: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_two_raters_rate_three_items_and_admin_sees_agreement(server):
    from playwright.sync_api import sync_playwright

    url, db = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu",
                                                                     "--disable-background-networking"])
        pages = {}
        for rater in OPINION:
            page = browser.new_context(viewport={"width": 1200, "height": 1600}).new_page()
            page.goto(url)  # sent to the login form first
            _log_in(page, rater, PASSWORDS[rater])
            page.wait_for_selector(f"#rate-rater:has-text('Rating as {rater}')", timeout=30000)
            page.click("#rate-signin")
            pages[rater] = page
        alice, bob = pages["alice"], pages["bob"]

        # Bad input in the browser: bob forgets the reason for his low score; he is told, nothing is stored.
        bob.wait_for_selector("#rate-progress:has-text('Item 1 of 3')")
        kinds = [_kind(bob.inner_text(f"#rate-reply-{s}")) for s in range(3)]
        for s, kind in enumerate(kinds):
            bob.click(f"#rate-score-{s} label[data-testid='{OPINION['bob'][kind][0]}-radio-label']")
        bob.click("#rate-submit")
        bob.wait_for_selector("#rate-status:has-text('pick at least one reason')")
        assert _rows(db, "SELECT COUNT(*) FROM rating_scores") == [(0,)]
        bob.reload()
        bob.wait_for_selector("#rate-rater:has-text('Rating as bob')")
        bob.click("#rate-signin")  # resumes the same item, replies in the same order as before

        # Alice rates with the keyboard, bob with the mouse, turn about.
        for position in (1, 2, 3):
            _rate_one(alice, "alice", position, use_keys=True)
            _rate_one(bob, "bob", position, use_keys=False, comment="too terse" if position == 2 else None)
        for page in (alice, bob):
            page.wait_for_selector("#rate-status:has-text('All done: you rated 3 items')")
            # Blind: no source name ever reached a rater's page.
            html = page.content()
            assert not any(source in html for source in SOURCES)
        alice.click("#rate-mine button, #rate-mine .label-wrap")
        alice.wait_for_selector("#rate-mine-table:has-text('rude, wrong_info')")
        assert "not_helpful" not in alice.inner_text("#rate-mine-table")  # only her own work

        # The exact rows in SQLite.
        expected = []
        for n in range(3):
            for rater in sorted(OPINION):
                for idx, kind in enumerate(("good", "fine", "poor")):
                    score, reasons = OPINION[rater][kind]
                    expected.append((f"pilot:{n + 1}", rater, idx, score, None, json.dumps(sorted(reasons))))
        assert _rows(db, "SELECT item_id, rater_id, idx, score, rank, reasons FROM rating_scores "
                         "ORDER BY item_id, rater_id, idx") == expected
        assert _rows(db, "SELECT item_id, rater_id, session_id, submitted_at IS NOT NULL, comment "
                         "FROM rating_assignments ORDER BY item_id, rater_id") == [
            (f"pilot:{n + 1}", rater, "pilot", 1, "too terse" if (rater, n) == ("bob", 1) else None)
            for n in range(3) for rater in sorted(OPINION)]

        # A rater cannot open the operator console.
        alice.goto(url + "operator/")
        assert "may not open this page" in alice.inner_text("body")

        # The operator: wrong password first, then the right one; agreement and Bradley-Terry scores appear.
        admin = browser.new_context(viewport={"width": 1300, "height": 2400}).new_page()
        admin.goto(url + "operator/")
        _log_in(admin, "admin", "guess-guess-guess")
        admin.wait_for_selector("#login-message:has-text('Wrong account name or password')")
        _log_in(admin, "admin", ADMIN_PASSWORD)
        admin.click("button[role='tab']:has-text('Rating sessions')", timeout=30000)
        admin.wait_for_selector("#dash-sessions:has-text('pilot')")
        data = [[OPINION[r][k][0] for _ in range(3) for k in ("good", "fine", "poor")] for r in sorted(OPINION)]
        alpha = round(krippendorff_alpha(data, "interval"), 3)
        admin.wait_for_selector(f"#dash-agreement:has-text('{alpha}')")
        board = admin.inner_text("#dash-board")
        assert all(source in board for source in SOURCES)
        assert board.index("src-alpha") < board.index("src-beta") < board.index("src-gamma")  # best first
        admin.wait_for_selector("#dash-plot img")
        admin.wait_for_selector("#dash-results img")  # the jobs' plots from the runs folder
        assert "eval-policy/policies.png" in admin.inner_text("#dash-results")
        browser.close()
