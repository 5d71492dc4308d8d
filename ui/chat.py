"""The Chat tab: layout and event wiring only; everything it does is a Bot call."""
from __future__ import annotations

import html
import uuid

import gradio as gr

from bot.explain import COLUMNS, explain_rows
from bot.storage.replay_buffer import REASONS, FeedbackError
from bot.text import InvalidMessage

WELCOME = "Hi! I'm the Northwind Threads assistant. Ask me about orders, delivery, returns, refunds, payments and more."


def _new_state() -> dict:
    # turn_ids[i] is the turn behind chat message i (None for customer messages and notices).
    return {"session_id": uuid.uuid4().hex[:12], "turn_ids": [], "pending_down": None, "ended": False}


def build_chat_tab(bot) -> None:
    """Declare the chat layout inside the enclosing Blocks/Tab and wire its events to `bot`."""
    state = gr.State(_new_state)
    chatbot = gr.Chatbot(label="Support chat", height=420, placeholder=WELCOME, elem_id="chat",
                         feedback_options=("Like", "Dislike"))
    with gr.Row():
        message = gr.Textbox(placeholder="Type your message and press Enter", show_label=False, scale=5,
                             elem_id="message", max_lines=6)
        send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
    notice = gr.Markdown("", elem_id="notice")
    reason = gr.Radio(list(REASONS), label="What was wrong with that reply?", visible=False, elem_id="reason")
    with gr.Accordion("Why this reply", open=False, elem_id="why"):
        why = gr.Dataframe(headers=COLUMNS, interactive=False, wrap=True, elem_id="why-table",
                           column_widths=["4%", "7%", "10%", "8%", "8%", "10%", "53%"])
    with gr.Accordion("End of conversation: how did we do?", open=True, elem_id="end"):
        with gr.Row():
            csat = gr.Radio([1, 2, 3, 4, 5], label="Satisfaction (1 = very unhappy, 5 = very happy)", elem_id="csat")
            resolved = gr.Radio(["yes", "no"], label="Was your problem resolved?", elem_id="resolved")
        comment = gr.Textbox(label="Anything else? (optional)", elem_id="comment")
        submit_end = gr.Button("Submit rating", elem_id="submit-end")
    new_chat = gr.Button("New conversation", elem_id="new-chat")

    def on_send(text, history, st):
        history = list(history or [])
        try:
            turn = bot.reply(st["session_id"], text)
        except InvalidMessage as err:
            return history, st, gr.update(), f"⚠️ {err}"
        except Exception as err:  # never a stack trace in the chat: say what happened, keep the conversation
            return history, st, text, f"⚠️ Sorry, something went wrong on our side ({type(err).__name__}). Please try again."
        history += [{"role": "user", "content": html.escape(text.strip())},
                    {"role": "assistant", "content": html.escape(turn.text)}]
        st["turn_ids"] += [None, turn.turn_id]
        st["last_rows"] = explain_rows(turn)
        return history, st, "", ""

    def on_like(st, data: gr.LikeData):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn_id = st["turn_ids"][index] if 0 <= index < len(st["turn_ids"]) else None
        if turn_id is None:
            return st, "Only the assistant's replies can be rated.", gr.update(visible=False, value=None)
        liked = data.liked if isinstance(data.liked, bool) else str(data.value if data.liked is None else data.liked).lower().startswith("like")
        bot.feedback(turn_id, thumb=1 if liked else -1)
        if liked:
            st["pending_down"] = None
            return st, "Thanks for the 👍!", gr.update(visible=False, value=None)
        st["pending_down"] = turn_id
        return st, "Sorry about that. What was wrong?", gr.update(visible=True, value=None)

    def on_reason(choice, st):
        if not choice or not st.get("pending_down"):
            return st, gr.update(), gr.update()
        bot.feedback(st["pending_down"], thumb=-1, reason=choice)  # replaces the bare 👎 with a reasoned one
        st["pending_down"] = None
        return st, f"Thanks, noted: {choice.replace('_', ' ')}.", gr.update(visible=False, value=None)

    def on_end(score, was_resolved, note, st):
        if score is None or was_resolved is None:
            return st, "Please pick a satisfaction score and whether your problem was resolved."
        try:
            bot.end_session(st["session_id"], csat=int(score), resolved=was_resolved == "yes", comment=note or None)
        except FeedbackError:
            return st, "Please chat with us first; there is no conversation to rate yet."
        st["ended"] = True
        return st, "Thank you for your feedback! Start a new conversation any time."

    def on_new():
        return [], _new_state(), "", gr.update(visible=False, value=None), None, None, "", None

    send_event = dict(fn=on_send, inputs=[message, chatbot, state], outputs=[chatbot, state, message, notice])
    message.submit(**send_event).then(lambda st: st.get("last_rows", []), state, why)
    send.click(**send_event).then(lambda st: st.get("last_rows", []), state, why)
    chatbot.like(on_like, [state], [state, notice, reason])
    reason.change(on_reason, [reason, state], [state, notice, reason])
    submit_end.click(on_end, [csat, resolved, comment, state], [state, notice])
    chatbot.clear(lambda: (_new_state(), "", None), None, [state, notice, why])  # the chat's own 🗑 starts afresh
    new_chat.click(on_new, None, [chatbot, state, notice, reason, csat, resolved, comment, why])
