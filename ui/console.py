"""The operator console (behind the operator login, ui/web.py): conversations with their feedback and
"why this reply", escalations, live figures, rating-session admin, results and export.

Layout and wiring only: the reads are in bot/storage/reports.py, the rating admin is ui/dashboard.py.
Needs only the replay buffer (no model), so `rlcs serve` and `rlcs rate` both mount it at /operator.
"""
from __future__ import annotations

import html
import time

import gradio as gr

from bot.explain import COLUMNS as WHY_COLUMNS
from bot.storage import reports
from ui.dashboard import build_dashboard_tab, logged_in
from ui.rate import as_store

CONVERSATION_COLUMNS = ["conversation", "started", "turns", "👍", "👎", "CSAT", "resolved", "comment", "last message"]
DAY_COLUMNS = ["day", "conversations", "turns", "👍", "👎", "thumbs-down rate", "rated", "CSAT", "resolved share"]
GROUP_COLUMNS = ["turns", "👍", "👎", "thumbs-down rate", "rated conversations", "CSAT", "resolved share"]
FILTERS = {"all": "all", "with a 👎": "thumbs_down", "escalated": "escalated", "not rated yet": "unrated",
           "rated": "ended", "feedback and suggestions": "suggestions"}


def _when(ts) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts)) if ts else ""


def _blank(x):
    return "" if x is None else x


def conversation_rows(replay, only: str = "all") -> list[list]:
    return [[c["session_id"], _when(c["created_at"]), c["turns"], c["ups"], c["downs"], _blank(c["csat"]),
             "" if c["resolved"] is None else ("yes" if c["resolved"] else "no"), c["comment"] or "",
             (c["last_message"] or "")[:80]] for c in reports.conversations(replay, only=only)]


def transcript(turns: list[dict]) -> list[dict]:
    """The conversation as chat messages; each reply carries its feedback, intent and policy version."""
    messages = []
    for t in turns:
        vote = {1: "👍", -1: "👎"}.get(t["thumb"], "no vote")
        if t["reason"]:
            vote += f" {t['reason']}"
        note = f"{vote} · intent {t['intent'] or '?'} · policy {t['policy_version']} · p={t['propensity']:.3f}"
        messages += [{"role": "user", "content": html.escape(t["user_text"])},
                     {"role": "assistant", "content": f"{html.escape(t['reply_text'])}\n\n*{html.escape(note)}*"}]
    return messages


def why_rows(turn: dict) -> list[list]:
    """'Why this reply' for a stored turn: every candidate, the chosen one marked (bot.explain's columns)."""
    return [[c["idx"] + 1, "✔" if c["idx"] == turn["chosen"] else "", c["source"], round(c["score"], 3),
             "" if c["reward"] is None else round(c["reward"], 3), round(c["propensity"], 3), c["text"]]
            for c in turn["candidates"]]


def figures_plot(days: list[dict]):
    """CSAT, resolved share and thumbs-down rate by day (a matplotlib figure, sent inline)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(12, 3.2))
    x = [d["day"] for d in days]
    for ax, key, title, limits in ((axes[0], "csat", "CSAT (1-5)", (1, 5)),
                                   (axes[1], "resolved_share", "resolved share", (0, 1)),
                                   (axes[2], "thumbs_down_rate", "thumbs-down rate", (0, 1))):
        points = [(day, d[key]) for day, d in zip(x, days) if d.get(key) is not None]
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o")
        ax.set_title(title)
        ax.set_ylim(*limits)
        ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    fig.tight_layout()
    plt.close(fig)
    return fig


def _group_rows(rows: list[dict], key: str) -> list[list]:
    return [[r[key], r["turns"], r["ups"], r["downs"], _blank(r["thumbs_down_rate"]), r["rated"], _blank(r["csat"]),
             _blank(r["resolved_share"])] for r in rows]


def _table(rows: list[dict]):
    import pandas as pd

    if not rows:
        return pd.DataFrame({"escalated conversations": ["none"]})
    return pd.DataFrame([{k: _when(v) if k.endswith("_at") else _blank(v) for k, v in r.items()} for r in rows])


def build_console(bot_or_store):
    """The operator console as its own Blocks (mount it behind the operator login)."""
    store = as_store(bot_or_store)
    replay = store.replay

    with gr.Blocks(title="rlcs · operator console") as console:
        who = gr.Markdown("## Northwind Threads · operator console", elem_id="console-user")
        with gr.Tab("Conversations", elem_id="tab-conversations"):
            with gr.Row():
                only = gr.Radio(list(FILTERS), value="all", label="Show", elem_id="console-filter", scale=3)
                refresh = gr.Button("Refresh", elem_id="console-refresh", scale=1)
            table = gr.Dataframe(headers=CONVERSATION_COLUMNS, interactive=False, wrap=True, elem_id="console-list",
                                 max_height=360)
            chosen = gr.Dropdown(label="Conversation", choices=[], elem_id="console-session")
            outcome = gr.Markdown("", elem_id="console-outcome")
            chat = gr.Chatbot(label="Transcript", height=420, elem_id="console-transcript")
            turn = gr.Dropdown(label="Why this reply: turn", choices=[], elem_id="console-turn")
            why = gr.Dataframe(headers=WHY_COLUMNS, interactive=False, wrap=True, elem_id="console-why",
                               column_widths=["4%", "7%", "10%", "8%", "8%", "10%", "53%"])
        with gr.Tab("Escalations", elem_id="tab-escalations"):
            esc_refresh = gr.Button("Refresh", elem_id="console-esc-refresh")
            escalated = gr.Dataframe(interactive=False, wrap=True, elem_id="console-escalations")
        with gr.Tab("Figures", elem_id="tab-figures"):
            fig_refresh = gr.Button("Refresh", elem_id="console-fig-refresh")
            plot = gr.Plot(label="By day", elem_id="console-plot")
            daily = gr.Dataframe(headers=DAY_COLUMNS, interactive=False, label="By day", elem_id="console-daily")
            by_intent = gr.Dataframe(headers=["intent", *GROUP_COLUMNS], interactive=False, label="By intent",
                                     elem_id="console-intents")
            by_policy = gr.Dataframe(headers=["policy version", *GROUP_COLUMNS], interactive=False,
                                     label="By policy version", elem_id="console-policies")
        with gr.Tab("Rating sessions", elem_id="tab-ratings"):
            build_dashboard_tab(store, app=console)

        def greet(request: gr.Request):
            name = logged_in(request)
            return f"## Northwind Threads · operator console\nSigned in as **{html.escape(name)}** · [Log out](/logout)"

        def list_conversations(show, request: gr.Request):
            logged_in(request)
            rows = conversation_rows(replay, FILTERS.get(show, "all"))
            ids = [r[0] for r in rows]
            return rows, gr.update(choices=ids)

        def open_conversation(session_id, request: gr.Request):
            logged_in(request)
            if not session_id:
                return "", [], gr.update(choices=[], value=None), []
            turns = reports.conversation(replay, session_id)
            found = replay.query("SELECT csat, resolved, comment, ended_at FROM sessions WHERE session_id=?",
                                 (session_id,))
            s = found[0] if found else {}
            outcome = (f"CSAT **{s['csat']}**, resolved **{'yes' if s['resolved'] else 'no'}**"
                       + (f", comment: {html.escape(s['comment'])}" if s.get("comment") else "")
                       if s.get("ended_at") else "not rated by the customer yet")
            choices = [(f"{t['turn_index'] + 1}. {t['user_text'][:60]}", t["turn_id"]) for t in turns]
            last = turns[-1] if turns else None
            return (outcome, transcript(turns), gr.update(choices=choices, value=last["turn_id"] if last else None),
                    why_rows(last) if last else [])

        def explain(session_id, turn_id, request: gr.Request):
            logged_in(request)
            for t in reports.conversation(replay, session_id) if session_id else []:
                if t["turn_id"] == turn_id:
                    return why_rows(t)
            return []

        def figures(request: gr.Request):
            logged_in(request)
            days = reports.daily_figures(replay)
            day_rows = [[d["day"], d["conversations"], d["turns"], d["ups"], d["downs"], _blank(d["thumbs_down_rate"]),
                         d.get("rated", 0), _blank(d.get("csat")), _blank(d.get("resolved_share"))] for d in days]
            return (figures_plot(days), day_rows, _group_rows(reports.figures_by(replay, "intent"), "intent"),
                    _group_rows(reports.figures_by(replay, "policy_version"), "policy_version"))

        def escalations(request: gr.Request):
            logged_in(request)
            return _table(reports.escalations(replay))

        console.load(greet, None, who)
        console.load(list_conversations, [only], [table, chosen])
        console.load(escalations, None, escalated)
        console.load(figures, None, [plot, daily, by_intent, by_policy])
        refresh.click(list_conversations, [only], [table, chosen])
        only.change(list_conversations, [only], [table, chosen])
        chosen.change(open_conversation, [chosen], [outcome, chat, turn, why])
        turn.change(explain, [chosen, turn], why)
        esc_refresh.click(escalations, None, escalated)
        fig_refresh.click(figures, None, [plot, daily, by_intent, by_policy])
    return console
