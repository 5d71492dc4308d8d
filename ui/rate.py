"""The Rate tab: blind side-by-side rating. Layout and event wiring only; the work is in bot/ratings/store.py.

A rater logs in with her own account (ui/web.py; her rater id is her account name, so nobody can rate as
someone else or see another rater's work), picks the session, and gets items one at a time: the conversation so far and K replies, labelled A, B, C ... in her own
random order, with no source or score shown. Keys 1-5 score the highlighted reply and move to the
next; arrows (or j / k) move; Ctrl+Enter submits.
"""
from __future__ import annotations

import gradio as gr

from bot.ratings.store import LOW_SCORE, MAX_CANDIDATES, RatingError, RatingStore
from bot.storage.replay_buffer import REASONS

SLOTS = MAX_CANDIDATES
ROLE = {"customer": "user", "bot": "assistant"}

# Keyboard shortcuts. Runs once per page; reads the slots at key-press time, so it works in any tab layout.
KEYS_JS = """
if (!window.__rlcsRateKeys) {
  window.__rlcsRateKeys = true;
  const style = document.createElement('style');
  style.textContent = '.rlcs-active { outline: 3px solid var(--color-accent, #f97316); outline-offset: 2px; ' +
                      'border-radius: 6px; }';
  document.head.appendChild(style);
  let active = 0;
  // Gradio gives a Group's id to two nested elements: keep the outer one of each visible slot.
  const slots = () => [...document.querySelectorAll('[id^="rate-slot-"]')].filter(
    e => e.offsetParent !== null && !e.parentElement.closest('[id^="rate-slot-"]'));
  const mark = () => slots().forEach((e, i) => e.classList.toggle('rlcs-active', i === active));
  const restart = () => { active = 0; setTimeout(mark, 400); };
  document.addEventListener('keydown', (ev) => {
    const s = slots();
    if (!s.length) return;
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      // Stop it here (capture phase): Enter on a focused reason checkbox would toggle it off.
      ev.preventDefault(); ev.stopPropagation();
      setTimeout(() => document.querySelector('#rate-submit').click(), 50); restart(); return;
    }
    const t = ev.target;
    const typing = t && (t.tagName === 'TEXTAREA' || t.isContentEditable ||
                         (t.tagName === 'INPUT' && t.type !== 'radio' && t.type !== 'checkbox'));
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    active = Math.min(active, s.length - 1);
    if (/^[1-9]$/.test(ev.key)) {
      const input = s[active].querySelector('input[type=radio][value="' + ev.key + '"]');
      if (!input) return;
      ev.preventDefault(); input.click();
      active = Math.min(active + 1, s.length - 1); mark();
    } else if (ev.key === 'ArrowDown' || ev.key === 'j') {
      ev.preventDefault(); active = Math.min(active + 1, s.length - 1); mark();
    } else if (ev.key === 'ArrowUp' || ev.key === 'k') {
      ev.preventDefault(); active = Math.max(active - 1, 0); mark();
    }
  }, true);
  document.addEventListener('click', (ev) => {
    if (!ev.target.closest) return;
    const slot = slots().find(e => e.contains(ev.target));
    if (slot) { active = slots().indexOf(slot); mark(); }
    if (ev.target.closest('#rate-submit') || ev.target.closest('#rate-signin')) restart();
  });
}
"""

HELP = (f"Judge every reply as if you were the customer: score it from 1 (very bad) to 5 (excellent), or rank "
        f"the replies when the session asks for ranks. For a score of {LOW_SCORE} or less, tick what is wrong with "
        "it. **Keys:** `1`-`5` score (or rank) the highlighted reply and move on, `↑`/`↓` (or `k`/`j`) move, "
        "`Ctrl+Enter` submits.")


def as_store(bot_or_store) -> RatingStore:
    """A RatingStore on the replay buffer of a Bot, a ReplayBuffer, or a RatingStore itself."""
    if isinstance(bot_or_store, RatingStore):
        return bot_or_store
    return RatingStore(getattr(bot_or_store, "replay", bot_or_store))


def build_rate_tab(bot_or_store, app=None) -> None:
    """Declare the rater view inside the enclosing Blocks/Tab and wire it to the rating store. The page
    must sit behind the login: the rater is the logged-in account (gr.Request.username), never a typed id."""
    store = as_store(bot_or_store)

    def first_open():
        opened = store.open_sessions()
        return opened[-1] if opened else None

    state = gr.State(dict)  # {"session_id", "rater_id", "item_id", "k", "mode"}: this browser's rater only
    gr.Markdown("### Rate replies\n" + HELP, elem_id="rate-help")
    with gr.Row():
        session = gr.Dropdown(choices=store.open_sessions(), value=first_open, allow_custom_value=True,
                              label="Rating session", elem_id="rate-session", scale=2)
        rater = gr.Markdown("", elem_id="rate-rater")
        sign_in = gr.Button("Start rating", variant="primary", elem_id="rate-signin", scale=1)
    status = gr.Markdown("", elem_id="rate-status")
    with gr.Column(visible=False, elem_id="rate-work") as work:
        progress = gr.Markdown("", elem_id="rate-progress")
        conversation = gr.Chatbot(label="Conversation so far", height=None, min_height=90, max_height=320,
                                  elem_id="rate-conversation")
        groups, replies, scores, reasons = [], [], [], []
        for s in range(SLOTS):
            letter = chr(ord("A") + s)
            with gr.Group(visible=False, elem_id=f"rate-slot-{s}") as group:
                replies.append(gr.Markdown(f"**Reply {letter}**", elem_id=f"rate-reply-{s}"))
                scores.append(gr.Radio([1, 2, 3, 4, 5], label=f"Score for reply {letter}", elem_id=f"rate-score-{s}"))
                reasons.append(gr.CheckboxGroup([(r.replace("_", " "), r) for r in REASONS],
                                                label="What is wrong with it?", elem_id=f"rate-reasons-{s}"))
            groups.append(group)
        comment = gr.Textbox(label="Comment (optional)", lines=2, elem_id="rate-comment")
        submit = gr.Button("Submit and next (Ctrl+Enter)", variant="primary", elem_id="rate-submit")
    with gr.Accordion("Your ratings so far", open=False, elem_id="rate-mine"):
        mine = gr.Dataframe(headers=["#", "your judgement", "comment"], interactive=False, wrap=True,
                            elem_id="rate-mine-table")
    gr.HTML("", js_on_load=KEYS_JS, elem_id="rate-keys")

    item_outputs = [state, status, progress, work, conversation, *groups, *replies, *scores, *reasons, comment, mine]

    def mine_rows(st):
        return [[r["n"], r["judgement"], r["comment"]] for r in store.my_ratings(st["session_id"], st["rater_id"])]

    def show(st: dict, message: str = ""):
        """The rater's current item (or the end screen) as updates for item_outputs."""
        item = store.next_item(st["session_id"], st["rater_id"])
        if item is None:
            done, _ = store.progress(st["session_id"], st["rater_id"])
            st = {**st, "item_id": None}
            note = (f"{message} " if message else "") + (
                f"All done: you rated {done} item{'s' if done != 1 else ''} in **{st['session_id']}**. Thank you!"
                if done else f"There is nothing for **{st['rater_id']}** to rate in **{st['session_id']}** right now.")
            hide = [gr.update(visible=False)] * SLOTS
            return [st, note, "", gr.update(visible=False), [], *hide, *[gr.update()] * SLOTS,
                    *[gr.update(value=None)] * SLOTS, *[gr.update(value=[])] * SLOTS, "", mine_rows(st)]
        k = len(item.replies)
        st = {**st, "item_id": item.item_id, "k": k, "mode": item.mode}
        history = [{"role": ROLE[role], "content": text} for role, text in item.context]
        if item.mode == "score":
            choices, what = [1, 2, 3, 4, 5], "Score (1 = very bad, 5 = excellent)"
            why = f"What is wrong with it? (needed for a score of {LOW_SCORE} or less)" if item.require_reasons \
                else "What is wrong with it? (optional)"
        else:
            choices, what = list(range(1, k + 1)), f"Rank (1 = best, {k} = worst)"
            why = "What is wrong with it? (optional)"
        task = "score each reply 1-5" if item.mode == "score" else f"rank the replies 1-{k} (1 = best, each rank once)"
        return [st, message, f"**Item {item.position} of {item.total}** · {task} · session {item.session_id} · "
                              f"rater {st['rater_id']}", gr.update(visible=True), history,
                *[gr.update(visible=s < k) for s in range(SLOTS)],
                *[gr.update(value=f"**Reply {chr(ord('A') + s)}**\n\n{item.replies[s]}" if s < k else "")
                  for s in range(SLOTS)],
                *[gr.update(choices=choices, value=None, label=f"{what}, reply {chr(ord('A') + s)}")
                  for s in range(SLOTS)],
                *[gr.update(value=[], label=why) for _ in range(SLOTS)], "", mine_rows(st)]

    def keep(st: dict, message: str):
        """Leave the form as the rater filled it, with a message."""
        return [st, message] + [gr.update()] * (len(item_outputs) - 2)

    def start(session_id, st, request: gr.Request):
        rater_id = getattr(request, "username", None)  # the login name, never a free choice
        if not rater_id:
            return keep({}, "⚠️ Log in first.")
        if not session_id:
            return keep(st, "⚠️ There is no open rating session yet; ask your admin to create one.")
        try:
            st = {"session_id": session_id, "rater_id": rater_id}
            return show(st)
        except RatingError as err:
            return keep({}, f"⚠️ {err}")

    def send(request: gr.Request, st, comment_text, *values):
        if not st.get("item_id") or st.get("rater_id") != getattr(request, "username", None):
            return keep(st, "⚠️ Press Start rating first.")
        k = st["k"]
        given = [None if v in (None, "") else int(v) for v in values[:k]]
        why = [list(r or []) for r in values[SLOTS:SLOTS + k]]
        try:
            store.submit(st["rater_id"], st["item_id"], scores=given if st["mode"] == "score" else None,
                         ranks=given if st["mode"] == "rank" else None, reasons=why, comment=comment_text)
        except RatingError as err:
            return keep(st, f"⚠️ {err}")
        return show(st, "✓ Saved.")

    session.focus(lambda: gr.update(choices=store.open_sessions()), outputs=session)
    def who(request: gr.Request):
        return f"Rating as **{getattr(request, 'username', None) or '?'}** · [Log out](/logout)"

    if app is not None:
        app.load(who, None, rater)
    sign_in.click(start, [session, state], item_outputs)
    submit.click(send, [state, comment, *scores, *reasons], item_outputs, concurrency_limit=None)
