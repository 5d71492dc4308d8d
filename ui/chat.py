"""The customer chat: layout and event wiring only; everything it does is a Bot call.

Customers see the conversation, 👍/👎 with a reason, and the end-of-conversation rating; nothing
internal (no scores, propensities or candidate lists: those are in the operator console). The
conversation's id lives in the browser's local storage (gr.BrowserState), so a reload or a server
restart picks the conversation up again from the replay buffer.
"""
from __future__ import annotations

import html
import secrets

import gradio as gr

from bot.storage.replay_buffer import REASONS, FeedbackError, SessionEnded, StorageError
from bot.text import InvalidMessage

WELCOME = "Hi! I'm the Northwind Threads assistant. Ask me about orders, delivery, returns, refunds, payments and more."
NOT_SAVED = "⚠️ We could not save that, please try again."
BROKEN = "⚠️ Sorry, something went wrong on our side. Please try again."
STORAGE_KEY = "rlcs-chat"


def new_session_id() -> str:
    return secrets.token_hex(16)  # 128 random bits: the id is the only key to a conversation


def _new_state() -> dict:
    # turn_ids[i] is the turn behind chat message i (None for customer messages).
    return {"session_id": None, "turn_ids": [], "pending_down": None, "ended": False}


def _messages(turns: list[dict]) -> tuple[list[dict], list]:
    history, turn_ids = [], []
    for t in turns:
        history += [{"role": "user", "content": html.escape(t["user_text"])},
                    {"role": "assistant", "content": html.escape(t["reply_text"])}]
        turn_ids += [None, t["turn_id"]]
    return history, turn_ids


class ChatHandlers:
    """What the chat's events do, as plain methods (testable without a browser). `saved` is the
    browser's local storage: {"session_id": ...}."""

    def __init__(self, bot):
        self.bot = bot

    def load(self, saved):
        """Page opened: resume the stored conversation of this browser if it is still open."""
        sid = (saved or {}).get("session_id")
        turns = []
        if isinstance(sid, str) and sid:
            try:
                turns = self.bot.resume(sid)
            except Exception:  # an unreadable store must not break the page; start afresh
                turns = []
        if not turns:
            return [], _new_state(), {"session_id": None}
        history, turn_ids = _messages(turns)
        return history, {**_new_state(), "session_id": sid, "turn_ids": turn_ids}, {"session_id": sid}

    def _sync(self, st: dict, saved, history: list) -> dict:
        """After a server restart the page keeps its messages and local storage, but the server's per-tab
        state is new: take the id from local storage and the turn ids from the replay buffer."""
        st = dict(st or _new_state())
        if not st.get("session_id") and history and (saved or {}).get("session_id"):
            st["session_id"] = saved["session_id"]
        if len(st["turn_ids"]) != len(history) and st.get("session_id"):
            try:
                _, ids = _messages(self.bot.resume(st["session_id"]))
            except Exception:
                ids = []
            st["turn_ids"] = ids if len(ids) == len(history) else (st["turn_ids"] + [None] * len(history))[:len(history)]
        return st

    def send(self, text, history, st, saved):
        history = list(history or [])
        st = self._sync(st, saved, history)
        sid = st["session_id"] or new_session_id()
        try:
            turn = self.bot.reply(sid, text)
        except (InvalidMessage, SessionEnded) as err:  # both are written to be shown
            return history, st, gr.update(), f"⚠️ {err}", saved
        except StorageError:
            return history, st, text, NOT_SAVED, saved
        except Exception:  # never a stack trace in the chat: say what happened, keep the conversation
            return history, st, text, BROKEN, saved
        history += [{"role": "user", "content": html.escape(text.strip())},
                    {"role": "assistant", "content": html.escape(turn.text)}]
        st = {**st, "session_id": sid, "turn_ids": st["turn_ids"] + [None, turn.turn_id]}
        return history, st, "", "", {"session_id": sid}

    def like(self, st, saved, history, data: gr.LikeData):
        st = self._sync(st, saved, list(history or []))
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn_id = st["turn_ids"][index] if isinstance(index, int) and 0 <= index < len(st["turn_ids"]) else None
        if turn_id is None:
            return st, "Only the assistant's replies can be rated.", gr.update(visible=False, value=None)
        liked = data.liked if isinstance(data.liked, bool) else \
            str(data.value if data.liked is None else data.liked).lower().startswith("like")
        try:
            self.bot.feedback(turn_id, thumb=1 if liked else -1)
        except StorageError:
            return st, NOT_SAVED, gr.update(visible=False, value=None)
        except Exception:
            return st, BROKEN, gr.update(visible=False, value=None)
        if liked:
            return {**st, "pending_down": None}, "Thanks for the 👍!", gr.update(visible=False, value=None)
        return {**st, "pending_down": turn_id}, "Sorry about that. What was wrong?", gr.update(visible=True, value=None)

    def reason(self, choice, st):
        if not choice or not (st or {}).get("pending_down"):
            return st, gr.update(), gr.update()
        try:
            self.bot.feedback(st["pending_down"], thumb=-1, reason=choice)  # replaces the bare 👎 with a reasoned one
        except StorageError:
            return st, NOT_SAVED, gr.update()
        except Exception:
            return st, BROKEN, gr.update()
        return {**st, "pending_down": None}, f"Thanks, noted: {choice.replace('_', ' ')}.", \
            gr.update(visible=False, value=None)

    def end(self, score, was_resolved, note, st, saved, history):
        st = self._sync(st, saved, list(history or []))
        if score is None or was_resolved is None:
            return st, "Please pick a satisfaction score and whether your problem was resolved.", saved
        if not st.get("session_id"):
            return st, "Please chat with us first; there is no conversation to rate yet.", saved
        try:
            self.bot.end_session(st["session_id"], csat=int(score), resolved=was_resolved == "yes",
                                 comment=note or None)
        except FeedbackError:
            return st, "Please chat with us first; there is no conversation to rate yet.", saved
        except StorageError:
            return st, NOT_SAVED, saved
        except Exception:
            return st, BROKEN, saved
        # Rated: a reload starts a new conversation.
        return {**st, "ended": True}, "Thank you for your feedback! Start a new conversation any time.", \
            {"session_id": None}


def build_chat(bot, app, secret: str | None = None) -> None:
    """Declare the chat inside the enclosing Blocks `app` and wire its events to `bot`. `secret` seals the
    local storage; keep it across restarts (Accounts.secret) or a restart forgets the conversation."""
    handlers = ChatHandlers(bot)
    state = gr.State(_new_state)
    saved = gr.BrowserState({"session_id": None}, storage_key=STORAGE_KEY, secret=secret)
    chatbot = gr.Chatbot(label="Support chat", height=420, placeholder=WELCOME, elem_id="chat",
                         feedback_options=("Like", "Dislike"))
    with gr.Row():
        message = gr.Textbox(placeholder="Type your message and press Enter", show_label=False, scale=5,
                             elem_id="message", max_lines=6)
        send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
    notice = gr.Markdown("", elem_id="notice")
    reason = gr.Radio(list(REASONS), label="What was wrong with that reply?", visible=False, elem_id="reason")
    with gr.Accordion("End of conversation: how did we do?", open=True, elem_id="end"):
        with gr.Row():
            csat = gr.Radio([1, 2, 3, 4, 5], label="Satisfaction (1 = very unhappy, 5 = very happy)", elem_id="csat")
            resolved = gr.Radio(["yes", "no"], label="Was your problem resolved?", elem_id="resolved")
        comment = gr.Textbox(label="Anything else? (optional)", elem_id="comment")
        submit_end = gr.Button("Submit rating", elem_id="submit-end")
    new_chat = gr.Button("New conversation", elem_id="new-chat")

    def on_new():
        return [], _new_state(), "", gr.update(visible=False, value=None), None, None, "", {"session_id": None}

    # Every event of the chat is short (a Bot call, ~15 ms of CPU), so none goes through Gradio's queue: a
    # queued event costs a join request, an SSE stream of four messages written by the one event-loop thread,
    # a pandas summary over the last 10,000 events, and waits for one of the event's `concurrency_limit`
    # slots; that cost more CPU than the bot's own turn (issue 15, docs/benchmarks.md). Unqueued, an event is
    # one POST run on the server's thread pool (40 threads), so sessions run in parallel up to the CPU.
    direct = {"queue": False}
    app.load(handlers.load, [saved], [chatbot, state, saved], **direct)
    send_event = dict(fn=handlers.send, inputs=[message, chatbot, state, saved],
                      outputs=[chatbot, state, message, notice, saved], **direct)
    message.submit(**send_event)
    send.click(**send_event)
    chatbot.like(handlers.like, [state, saved, chatbot], [state, notice, reason], **direct)
    reason.change(handlers.reason, [reason, state], [state, notice, reason], **direct)
    submit_end.click(handlers.end, [csat, resolved, comment, state, saved, chatbot], [state, notice, saved], **direct)
    chatbot.clear(lambda: (_new_state(), "", {"session_id": None}), None, [state, notice, saved],  # 🗑 starts afresh
                  **direct)
    new_chat.click(on_new, None, [chatbot, state, notice, reason, csat, resolved, comment, saved], **direct)
