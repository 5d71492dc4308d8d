"""The customer chat and the operator console, end to end: a real `rlcs serve`, driven by headless
Chromium, checked in the SQLite file."""
import json
import sqlite3
import urllib.request
from contextlib import ExitStack

import pytest

from browser import chromium_page, free_port, rlcs_server

ADMIN = {"RLCS_ADMIN_PASSWORD": "operator-pass-1"}
INTERNAL = ("propensity", "retrieval", "Why this reply", "policy", "candidate", "Dashboard", "score")


def send(page, text: str, bot_messages_before: int) -> None:
    page.fill("#message textarea", text)
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"document.querySelectorAll('#chat [data-testid=\"bot\"]').length > {bot_messages_before}", timeout=30000)


def open_chat(page, url: str, bot_messages: int) -> None:
    page.goto(url)
    page.wait_for_selector("#message textarea", timeout=60000)
    page.wait_for_function(  # the page resumes from local storage once loaded
        f"document.querySelectorAll('#chat [data-testid=\"bot\"]').length == {bot_messages}", timeout=20000)


class Server:
    """One `rlcs serve` for this module, restartable on the same address (local storage is per origin)."""

    def __init__(self, tmp):
        self.db, self.log, self.port = tmp / "replay.sqlite3", tmp / "server.log", free_port()
        self.stack = ExitStack()
        self.start()

    def start(self):
        self.url = self.stack.enter_context(rlcs_server(["serve", "--db", str(self.db), "--policy", "first"],
                                                        self.log, env=ADMIN, port=self.port))

    def restart(self):
        self.stack.close()
        self.stack = ExitStack()
        self.start()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("chat"))
    yield running
    running.stack.close()


def test_customer_chat_shows_no_internals_and_resumes_after_reload_and_restart(server):
    db = server.db
    url = server.url
    with chromium_page() as page:
        open_chat(page, url, 0)
        assert page.locator("button[role='tab']").count() == 0  # no Rate / Dashboard tabs
        send(page, "Where is my order 12345?", 0)
        send(page, "<b>How</b> do I return it?", 1)
        bot_messages = page.locator("#chat [data-testid='bot']")
        assert "12345" in bot_messages.nth(0).inner_text()
        assert page.locator("#chat [data-testid='user']").nth(1).inner_text().startswith("<b>How</b>")  # escaped
        page.locator("#chat button[aria-label='Like']").nth(0).click()
        page.wait_for_function("document.querySelector('#notice').innerText.includes('Thanks for the')")

        page.reload()  # same conversation, and the thumbs still land on the right turn
        open_chat(page, url, 2)
        assert "12345" in page.locator("#chat [data-testid='bot']").nth(0).inner_text()
        page.locator("#chat button[aria-label='Dislike']").nth(1).click()
        page.wait_for_selector("#reason", state="visible")
        page.locator("#reason label", has_text="too_long").click()
        page.wait_for_function("document.querySelector('#notice').innerText.includes('too long')")
        text = page.inner_text("body")
        assert not [word for word in INTERNAL if word.lower() in text.lower()], text
        config = urllib.request.urlopen(url + "config", timeout=10).read().decode()
        assert not [word for word in INTERNAL[:4] if word in config]

        server.restart()  # same address, same database
        open_chat(page, url, 2)
        send(page, "When will it arrive?", 2)  # the bot still knows the order: it does not ask for it again
        third = page.locator("#chat [data-testid='bot']").nth(2).inner_text()
        assert "12345" in third and "order number" not in third, third
        page.locator("#csat label", has_text="4").click()
        page.locator("#resolved label", has_text="yes").click()
        page.fill("#comment textarea", "quick answers, thanks")
        page.locator("#submit-end").click()
        page.wait_for_function("document.querySelector('#notice').innerText.includes('Thank you for your feedback')")
        open_chat(page, url, 0)  # rated and ended: a reload starts a new conversation

    con = sqlite3.connect(db)
    (session_id,) = con.execute("SELECT session_id FROM turns WHERE user_text = '<b>How</b> do I return it?'").fetchone()
    turns = con.execute("SELECT turn_id, turn_index, user_text, chosen, propensity, policy_version FROM turns "
                        "WHERE session_id = ? ORDER BY turn_index", (session_id,)).fetchall()
    assert [t[1:] for t in turns] == [
        (0, "Where is my order 12345?", 0, 1.0, "first"),
        (1, "<b>How</b> do I return it?", 0, 1.0, "first"),
        (2, "When will it arrive?", 0, 1.0, "first"),
    ]
    assert len(session_id) == 32  # 128 random bits: the id is the key to the conversation
    assert con.execute("SELECT COUNT(*) FROM candidates WHERE turn_id=?", (turns[0][0],)).fetchone()[0] == 8
    ids = tuple(t[0] for t in turns)
    assert con.execute("SELECT turn_id, thumb, reason FROM feedback WHERE turn_id IN (?,?,?) ORDER BY thumb DESC",
                       ids).fetchall() == [(turns[0][0], 1, None), (turns[1][0], -1, "too_long")]
    # The bare thumbs-down, then the same vote with its reason: both events kept, the reasoned one current.
    assert con.execute("SELECT turn_id, thumb, reason FROM feedback_events WHERE turn_id IN (?,?,?) ORDER BY event_id",
                       ids).fetchall() == [(turns[0][0], 1, None), (turns[1][0], -1, None), (turns[1][0], -1, "too_long")]
    assert con.execute("SELECT csat, resolved, comment FROM sessions WHERE session_id = ?", (session_id,)).fetchall() \
        == [(4, 1, "quick answers, thanks")]
    assert json.loads(con.execute("SELECT context FROM turns WHERE turn_id = ?", (turns[1][0],)).fetchone()[0])[0] == [
        "customer", "Where is my order 12345?"]


def test_operator_console_needs_a_login_and_shows_why_this_reply(server):
    url = server.url
    with chromium_page() as page:
        open_chat(page, url, 0)
        send(page, "Where is my order 12345?", 0)
        page.locator("#chat button[aria-label='Dislike']").nth(0).click()
        page.wait_for_selector("#reason", state="visible")
        page.locator("#reason label", has_text="wrong_info").click()
        page.wait_for_function("document.querySelector('#notice').innerText.includes('wrong info')")

        operator = page.context.browser.new_context().new_page()
        operator.goto(url + "operator/")
        operator.wait_for_selector("#login-name")  # sent to the login form
        assert "/login" in operator.url
        operator.fill("#login-name", "admin")
        operator.fill("#login-password", "not-the-password")
        operator.click("#login-submit")
        operator.wait_for_selector("#login-message:has-text('Wrong account name or password')")
        operator.fill("#login-name", "admin")
        operator.fill("#login-password", ADMIN["RLCS_ADMIN_PASSWORD"])
        operator.click("#login-submit")
        operator.wait_for_selector("#console-user:has-text('Signed in as admin')", timeout=30000)
        operator.wait_for_selector("#console-list:has-text('Where is my order 12345?')")
        operator.click("#console-session input")
        operator.keyboard.press("ArrowDown")
        operator.keyboard.press("Enter")
        operator.wait_for_selector("#console-transcript:has-text('wrong_info')")
        operator.wait_for_selector("#console-why:has-text('✔')")
        assert "retrieval" in operator.inner_text("#console-why")
        operator.click("button[role='tab']:has-text('Figures')")
        operator.wait_for_selector("#console-daily:has-text('1')")
        operator.goto(url + "logout")
        operator.goto(url + "operator/")
        operator.wait_for_selector("#login-name")  # logged out: the console is closed again
