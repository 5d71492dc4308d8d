"""`rlcs eval replies`: blind ratings of the bot's replies to real first messages, in our own rating app.

    rlcs eval replies --messages ../shared/data/real_dev/messages.jsonl --db runs/rating.sqlite3 \\
        --session real-dev-r4                       # 1. the bot answers each message; a rating session is made
    rlcs rate --db runs/rating.sqlite3              # 2. raters score each reply 1-5 (rater view, logged in)
    rlcs eval replies --db runs/rating.sqlite3 --session real-dev-r4 --report   # 3. the figures

Each item shows the customer's message and two replies in a fresh random order per rater: the reply the
bot served, and the best answer it drafted but did not serve (its top retrieval candidate, or when the
bot asked or handed over, the answer it would otherwise have given). Raters see nothing else: not which
reply was served, not the intent, not the source. A score of 2 or less needs a reason; "didnt_understand"
means the reply answers a different question than the one asked.

The report gives, for the served reply: mean rating, share of messages rated 4 or 5 (mean over raters),
share whose raters said it answers a different question, Krippendorff's alpha (ordinal) over all scores,
and how out-of-scope messages were handled. With --versus POLICY the items are the default's reply and POLICY's, only where they differ.
The key of which reply is which (and each message's topic)
is kept in a side file next to the database, never shown in the app.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from training.results import write_result

OUT_OF_SCOPE_TOPICS = {"off_topic", "seller_support", "vague"}


def key_path(db: str, session: str) -> Path:
    return Path(db).with_name(f"{Path(db).stem}.{session}.key.json")


def make_session(args) -> int:
    from bot import Bot, BotConfig

    rows = [json.loads(line) for line in Path(args.messages).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[: args.limit] if args.limit else rows
    import tempfile

    # A fresh scratch file: a message must open a new conversation, never continue one from an earlier run.
    scratch = args.scratch_db or str(Path(tempfile.mkdtemp(prefix="rlcs-eval-replies-")) / "scratch.sqlite3")
    if Path(scratch).exists():
        raise ValueError(f"{scratch} exists: give a new --scratch-db (earlier conversations would be continued)")
    # (--policy best_of_n --reward-model DIR --versus first: best-of-N by a reward model against rank 1, issue 13)
    config = BotConfig(db_path=scratch, seed=args.seed, reward_model=args.reward_model,
                       reward_margin=args.reward_margin)
    config.policy = args.policy or config.policy
    bot = Bot(config)
    public = bot.kb.public_details  # our own phone and email: raters see them as a customer would, unmasked
    if args.dump_replies:
        return dump_replies(args, rows, bot)
    if args.versus_replies:  # A/B of two versions of the bot: this one's reply against the one dumped earlier
        return make_paired_session(args, rows, versus_replies_pair(bot, args), "versus",
                                   f"versus {Path(args.versus_replies).name}", public)
    if args.clarify_versus_generic:
        return make_paired_session(args, rows, clarify_pair(bot), "generic", "clarify versus generic", public)
    if args.versus:  # A/B: the default's reply against this policy's, on the messages where they differ
        versus = Bot(BotConfig(db_path=scratch + ".versus", seed=args.seed, policy=args.versus,
                               reward_model=args.reward_model, reward_margin=args.reward_margin))
        return make_paired_session(args, rows, versus_pair(bot, versus, args.versus), "versus", f"versus {args.versus}",
                                   public)
    return make_paired_session(args, rows, served_pair(bot), "alternative", "", public)


# Each pairing gives, for the n-th message of a session (and its id), (the served reply, the other reply, the key's
# entry), or None when there is nothing to compare.
def served_pair(bot):
    """The reply served, and the best drafted answer not served (when the bot asked or handed over: the answer it
    would otherwise have given)."""
    def pair(session_id: str, message: str, row_id: str):
        turn = bot.reply(session_id, message)
        served = turn.candidates[turn.chosen]
        state = bot._session(session_id)[0]
        drafted, _ = bot.guard.filter(bot.retrieval.draft(state, bot.config.n_candidates), state)
        alternative = next((c.text for c in drafted if c.text != served.text), None)
        entry = {"served_source": served.source, "intent": turn.intent, "confidence": round(state.intent_score, 3)}
        return None if alternative is None else (served.text, alternative, entry)
    return pair


def versus_pair(default, versus, name: str):
    """The default's reply and another policy's, where they differ."""
    def pair(session_id: str, message: str, row_id: str):
        ours, theirs = default.reply(session_id, message).text, versus.reply(session_id, message).text
        return None if ours == theirs else (ours, theirs, {"versus": name})
    return pair


def reply_on_its_own(bot, seed: int, row_id: str, message: str):
    """The bot's turn for one message as a new conversation, sampled with a generator seeded by the message's id:
    the reply depends on this message alone, not on how many draws the messages before it took, so two versions
    of the bot differ only where they really answer differently."""
    import zlib

    import numpy as np

    bot.rng = np.random.default_rng([seed, zlib.crc32(row_id.encode("utf-8"))])
    return bot.reply(f"eval-{row_id}", message)


def dump_replies(args, rows, bot) -> int:
    """JSONL of {id, reply, source, intent}: what this version of the bot serves (for --versus-replies later)."""
    out = Path(args.dump_replies)
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for n, row in enumerate(rows):
        row_id = row.get("id", str(n))
        turn = reply_on_its_own(bot, args.seed, row_id, row["message"])
        lines.append(json.dumps({"id": row_id, "reply": turn.text, "source": turn.candidates[turn.chosen].source,
                                 "intent": turn.intent}))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} replies to {out}")
    return 0


def versus_replies_pair(bot, args):
    """This version's reply and the one another version gave (--dump-replies), where they differ."""
    theirs = {}
    for number, line in enumerate(Path(args.versus_replies).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                record = json.loads(line)
                theirs[record["id"]] = record["reply"]
            except (ValueError, KeyError, TypeError):
                raise ValueError(f"{args.versus_replies}:{number}: expected JSON with 'id' and 'reply'") from None

    def pair(session_id: str, message: str, row_id: str):
        ours = reply_on_its_own(bot, args.seed, row_id, message)
        other = theirs.get(row_id)
        if other is None or other == ours.text:
            return None
        return ours.text, other, {"versus": args.versus_replies, "intent": ours.intent,
                                  "served_source": ours.candidates[ours.chosen].source}
    return pair


def clarify_pair(bot):
    """The clarifying question naming our guess, and the generic one, where the bot asks and names a guess."""
    from bot.dialogue.clarify import CLARIFY_TEXT

    def pair(session_id: str, message: str, row_id: str):
        turn = bot.reply(session_id, message)
        served = turn.candidates[turn.chosen]
        named = served.source == "clarify" and served.text != CLARIFY_TEXT
        return (served.text, CLARIFY_TEXT, {"intent": turn.intent}) if named else None
    return pair


def make_paired_session(args, rows, pair, other: str, label: str, public: tuple[str, ...] = ()) -> int:
    """A rating session of two replies per message (sources "served" and `other`), and its key beside the database."""
    from bot.ratings.store import RatingStore

    items, key = [], {}
    for n, row in enumerate(rows):
        row_id = row.get("id", str(n))
        found = pair(f"eval-{args.session}-{n}", row["message"], row_id)
        if found is None:
            continue
        served, alternative, entry = found
        items.append({"id": row_id, "context": [["customer", row["message"]]],
                      "candidates": [{"text": served, "source": "served"}, {"text": alternative, "source": other}]})
        key[row_id] = {"topic": row.get("topic"), **entry}
    if not items:
        raise ValueError(f"no message got two different replies{' (' + label + ')' if label else ''}: nothing to rate")
    store = RatingStore(args.db)
    store.replay.public_details = public  # raters see our own phone and email as the customer would
    session = store.create_session(args.session, items, overlap=args.overlap,
                                                  source=f"eval:{Path(args.messages).name} {label}".strip())
    key_path(args.db, session).write_text(json.dumps(key, indent=2))
    print(f"rating session {session!r}: {len(items)} of {len(rows)} messages, 2 replies each"
          f"{' (' + label + ')' if label else ''}; {args.overlap} raters per item; key in {key_path(args.db, session)}")
    return 0


def report(args) -> int:
    import numpy as np

    from bot.ratings.statistics import krippendorff_alpha
    from bot.storage.replay_buffer import ReplayBuffer

    key = json.loads(key_path(args.db, args.session).read_text())
    replay = ReplayBuffer(args.db)
    rows = replay.query(
        "SELECT i.item_id, i.external_id AS source_id, c.idx, c.source, s.rater_id, s.score, s.reasons "
        "FROM rating_items i JOIN rating_candidates c ON c.item_id = i.item_id "
        "JOIN rating_scores s ON s.item_id = i.item_id AND s.idx = c.idx WHERE i.session_id = ?", (args.session,))
    rows = [{**r, "reasons": json.loads(r["reasons"] or "[]")} for r in rows]
    if not rows:
        raise ValueError(f"no judgements in rating session {args.session!r} yet")
    raters = sorted({r["rater_id"] for r in rows})
    units = sorted({(r["item_id"], r["idx"]) for r in rows})
    table = {(r["rater_id"], r["item_id"], r["idx"]): r["score"] for r in rows}
    alpha = krippendorff_alpha([[table.get((rater, *u)) for u in units] for rater in raters], "ordinal")
    result = {"session": args.session, "raters": raters, "krippendorff_alpha_ordinal": round(float(alpha), 3)}
    item_means = {}
    for which in sorted({r["source"] for r in rows}, key=lambda w: (w != "served", w)):  # served / alternative, or A / B
        per_item: dict[str, list] = {}
        for r in rows:
            if r["source"] == which:
                per_item.setdefault(r["source_id"], []).append(r)
        means = item_means[which] = {i: np.mean([r["score"] for r in rs]) for i, rs in per_item.items()}
        wrong_q = {i: sum("didnt_understand" in r["reasons"] for r in rs) / len(rs) > 0.5 for i, rs in per_item.items()}
        result[which] = {"messages": len(means), "mean": round(float(np.mean(list(means.values()))), 3),
                         "rated_4_or_5": round(float(np.mean([m >= 4 for m in means.values()])), 3),
                         "different_question": round(float(np.mean(list(wrong_q.values()))), 3)}
    if len(item_means) == 2:  # the same messages rated for two replies: a paired difference of the per-message means
        from training.intents.reply_choice import paired_interval

        (a, mean_a), (b, mean_b) = item_means.items()
        both = sorted(set(mean_a) & set(mean_b))
        diff, low, high = paired_interval(np.array([mean_a[i] for i in both]), np.array([mean_b[i] for i in both]))
        result[f"{a}_minus_{b}"] = [round(diff, 3), round(low, 3), round(high, 3)]
    if all("served_source" in k for k in key.values()):
        out_of_scope = [k for k in key.values() if k["topic"] in OUT_OF_SCOPE_TOPICS]
        honest = [k for k in out_of_scope if k["served_source"] in ("clarify", "handover") or k["intent"] == "off_topic"]
        result["out_of_scope"] = {"messages": len(out_of_scope), "clarified_or_handed_over_or_said_so": len(honest)}
    print(json.dumps(result, indent=2))
    write_result(args.output, result)
    return 0


def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("replies", help="blind ratings of the bot's replies to real messages",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="runs/rating.sqlite3", help="database holding the rating session")
    parser.add_argument("--session", help="rating session id (to make a session, or for --report)")
    parser.add_argument("--messages", help="JSONL of {id, message, topic?}: make the session from these")
    parser.add_argument("--report", action="store_true", help="print the figures of a rated session")
    parser.add_argument("--overlap", type=int, default=2, help="raters per item (default: %(default)s)")
    parser.add_argument("--limit", type=int, default=0, help="first N messages only (default: all)")
    parser.add_argument("--versus", default=None, metavar="POLICY",
                        help="A/B instead: rate the default's reply against the one POLICY (e.g. a checkpoint) serves, "
                             "on the messages where they differ; --report then gives served_minus_versus")
    parser.add_argument("--dump-replies", default=None, metavar="FILE",
                        help="write what this version of the bot serves for each message (JSONL: id, reply, source, "
                             "intent) and stop; each message is answered on its own, sampled with a seed of its id")
    parser.add_argument("--versus-replies", default=None, metavar="FILE",
                        help="A/B of two versions of the bot: rate this version's reply against FILE's (another "
                             "version's --dump-replies), on the messages where they differ")
    parser.add_argument("--clarify-versus-generic", action="store_true",
                        help="items: the messages where the bot asks naming a guess; replies: that question and the generic one")
    parser.add_argument("--policy", default=None,
                        help="the policy whose replies are rated, or dumped (default: the one served by default)")
    parser.add_argument("--reward-model", default=None, metavar="DIR",
                        help="a trained reward model for both bots (--policy best_of_n or --versus best_of_n need one)")
    parser.add_argument("--reward-margin", type=float, default=None, metavar="M",
                        help="best_of_n keeps rank 1 unless another draft scores more than M above it (default: the "
                             "reward model card's best_of_n_margin, else 0)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scratch-db", default=None, help="new scratch file the bot writes (default: a temporary one)")
    parser.add_argument("--output", default="runs/eval/replies.json", help="JSON result of --report")
    def run(args) -> int:
        if not args.messages and not args.report:
            parser.error("give --messages to make a session (or --dump-replies), or --report")
        if not args.session and not args.dump_replies:
            parser.error("give --session: the rating session to make or report on")
        return report(args) if args.report else make_session(args)
    parser.set_defaults(func=run)
    return parser
