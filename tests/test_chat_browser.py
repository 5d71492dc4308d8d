"""The chat, end to end: a real `rlcs serve`, driven by headless Chromium, checked in the SQLite file."""
import json
import sqlite3

from browser import chromium_page, rlcs_server


def send(page, text: str, bot_messages_before: int) -> None:
    page.fill("#message textarea", text)
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"document.querySelectorAll('#chat [data-testid=\"bot\"]').length > {bot_messages_before}", timeout=30000)


def test_chat_feedback_and_csat_land_in_sqlite(tmp_path):
    db = tmp_path / "replay.sqlite3"
    with rlcs_server(["serve", "--db", str(db), "--policy", "first"], tmp_path / "server.log") as url, \
            chromium_page() as page:
        page.goto(url)
        page.wait_for_selector("#message textarea", timeout=60000)
        send(page, "Where is my order 12345?", 0)
        send(page, "<b>How</b> do I return it?", 1)
        bot_messages = page.locator("#chat [data-testid='bot']")
        assert "12345" in bot_messages.nth(0).inner_text()
        assert page.locator("#chat [data-testid='user']").nth(1).inner_text().startswith("<b>How</b>")  # escaped

        page.locator("#chat button[aria-label='Like']").nth(0).click()
        page.wait_for_function("document.querySelector('#notice').innerText.includes('Thanks for the')")
        page.locator("#chat button[aria-label='Dislike']").nth(1).click()
        page.wait_for_selector("#reason", state="visible")
        page.locator("#reason label", has_text="too_long").click()
        page.wait_for_function("document.querySelector('#notice').innerText.includes('too long')")

        page.get_by_text("Why this reply").click()  # lists every candidate of the last turn
        page.wait_for_selector("#why-table", state="visible")
        page.wait_for_function("document.querySelector('#why-table').innerText.includes('✔')")
        assert "retrieval" in page.inner_text("#why-table")

        page.locator("#csat label", has_text="4").click()
        page.locator("#resolved label", has_text="yes").click()
        page.fill("#comment textarea", "quick answers, thanks")
        page.locator("#submit-end").click()
        page.wait_for_function("document.querySelector('#notice').innerText.includes('Thank you for your feedback')")

    con = sqlite3.connect(db)
    turns = con.execute("SELECT turn_id, session_id, turn_index, user_text, chosen, propensity, policy_version "
                        "FROM turns ORDER BY turn_index").fetchall()
    assert [(t[2], t[3], t[4], t[5], t[6]) for t in turns] == [
        (0, "Where is my order 12345?", 0, 1.0, "first"),
        (1, "<b>How</b> do I return it?", 0, 1.0, "first"),
    ]
    session_id = turns[0][1]
    assert turns[1][1] == session_id
    assert con.execute("SELECT COUNT(*) FROM candidates WHERE turn_id=?", (turns[0][0],)).fetchone()[0] == 8
    assert con.execute("SELECT turn_id, thumb, reason FROM feedback ORDER BY thumb DESC").fetchall() == [
        (turns[0][0], 1, None), (turns[1][0], -1, "too_long")]
    # The bare thumbs-down, then the same vote with its reason: both events kept, the reasoned one current.
    assert con.execute("SELECT turn_id, thumb, reason FROM feedback_events ORDER BY event_id").fetchall() == [
        (turns[0][0], 1, None), (turns[1][0], -1, None), (turns[1][0], -1, "too_long")]
    assert con.execute("SELECT session_id, csat, resolved, comment FROM sessions").fetchall() == [
        (session_id, 4, 1, "quick answers, thanks")]
    assert json.loads(con.execute("SELECT context FROM turns WHERE turn_index=1").fetchone()[0])[0] == [
        "customer", "Where is my order 12345?"]
