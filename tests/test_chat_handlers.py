"""The customer chat's event handlers on a real Bot, without a browser: a failed write is a clear
message (never a traceback), and a conversation resumes from local storage after a restart."""
import os

import gradio as gr

from ui.chat import NOT_SAVED, ChatHandlers, _new_state


def test_a_failed_write_says_we_could_not_save_it(make_bot, tmp_path):
    handlers = ChatHandlers(make_bot(policy="first"))
    history, st, box, notice, saved = handlers.send("Where is my order 12345?", [], _new_state(), {"session_id": None})
    assert notice == "" and len(history) == 2 and saved["session_id"] == st["session_id"]
    for suffix in ("", "-wal", "-shm"):  # the database vanishes under the running bot (a real fault)
        if os.path.exists(f"{tmp_path / 'replay.sqlite3'}{suffix}"):
            os.remove(f"{tmp_path / 'replay.sqlite3'}{suffix}")
    again, st2, box, notice, saved2 = handlers.send("How do I return it?", history, st, saved)
    assert notice == NOT_SAVED and again == history and box == "How do I return it?"  # kept, to send again
    st3, notice, _ = handlers.like(st2, saved2, again, gr.LikeData(None, {"index": 1, "value": "x", "liked": True}))
    assert notice == NOT_SAVED
    _, notice, _ = handlers.end(4, "yes", None, st2, saved2, again)
    assert notice == NOT_SAVED


def test_a_restarted_server_resumes_the_conversation_and_its_order(make_bot):
    first = ChatHandlers(make_bot(policy="first"))
    history, st, _, _, saved = first.send("Where is my order 12345?", [], _new_state(), {"session_id": None})
    restarted = ChatHandlers(make_bot(policy="first"))  # a new process: nothing in memory
    shown, st2, saved2 = restarted.load(saved)
    assert shown == history and st2["turn_ids"] == st["turn_ids"] and saved2 == saved
    history, st2, _, notice, _ = restarted.send("When will it arrive?", shown, st2, saved2)
    assert notice == "" and "12345" in history[-1]["content"] and "order number" not in history[-1]["content"]
    # A forged or unknown id in local storage opens nothing.
    assert restarted.load({"session_id": "not-a-session"})[0] == []
