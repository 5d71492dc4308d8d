"""16 customers at once through the Bot API: no reply or history leaks between sessions."""
import sqlite3
from concurrent.futures import ThreadPoolExecutor

ORDERS = ["10001", "10002", "10003", "10004", "10005", "10006", "10007", "10008",
          "10009", "10010", "10011", "10012", "10013", "10014", "10015", "12345"]


def test_sixteen_parallel_sessions_stay_separate(make_bot, tmp_path):
    bot = make_bot(policy="first")

    def conversation(k: int):
        session, order = f"customer-{k}", ORDERS[k]
        turns = [bot.reply(session, f"Where is my order {order}?"), bot.reply(session, "When will it arrive?")]
        for turn in turns:
            bot.feedback(turn.turn_id, thumb=1 if k % 2 else -1, reason=None if k % 2 else "not_helpful")
        bot.end_session(session, csat=1 + k % 5, resolved=bool(k % 2))
        return session, order, turns

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(conversation, range(16)))

    con = sqlite3.connect(bot.config.db_path)
    for session, order, turns in results:
        other_orders = set(ORDERS) - {order}
        for turn in turns:
            # the reply is about this customer's order and nobody else's
            assert order in turn.text, (session, turn.text)
            assert not any(o in turn.text for o in other_orders)
        stored = con.execute("SELECT turn_id, user_text, context, slots FROM turns WHERE session_id=? ORDER BY turn_index",
                             (session,)).fetchall()
        assert [row[0] for row in stored] == [t.turn_id for t in turns]
        assert stored[0][1] == f"Where is my order {order}?" and stored[1][1] == "When will it arrive?"
        assert order in stored[1][2] and not any(o in stored[1][2] for o in other_orders)  # history is its own
        assert f'"order_id": "{order}"' in stored[1][3]
    assert con.execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 32
    assert con.execute("SELECT COUNT(*) FROM sessions WHERE csat IS NOT NULL").fetchone()[0] == 16
    assert con.execute("SELECT COUNT(DISTINCT session_id) FROM turns").fetchone()[0] == 16
