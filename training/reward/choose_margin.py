"""How sure the reward model must be before best-of-N overrules the drafter: a margin chosen on rated real messages.

    python -m training.reward.choose_margin --reward-model DIR --db runs/rating.sqlite3 --session side1 [--write]

For each message of a side-by-side session (training/reward/side_by_side.py: rank 1 and the best drafts of other
topics, every reply rated 1-5 by two raters), today's bot drafts its candidates again and the reward model scores
them. For each margin M, best-of-N keeps rank 1 unless another draft scores more than M above it
(bot/selection/policies.best_of_n_probabilities). The margin with the largest total gain in mean rating over rank 1
is chosen; a tie goes to the larger margin (fewer swaps). `--write` puts it in the model's card (best_of_n_margin),
where `--policy best_of_n` finds it.

Why (round 27): rated side by side, rank 1 is the best or tied-best reply for about 97 % of real messages, so a
judge that reads replies must be right about nearly every swap it makes; plain best-of-N (margin 0) swaps wherever
the reward model leans the other way, however slightly. The session that chooses the margin must be one the model
was not trained on, and the margin is then measured on messages neither saw (real_dev's test half).

A pick that is not among the rated replies (best-of-N may pick any of the 8 drafts) is counted at the mean rating of
the item's rated other replies: an estimate, reported apart as "unrated swaps".
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np


def rated_items(db: str, session: str) -> list[dict]:
    """[{message, means: {reply text: mean rating}}] for each item of a side-by-side session, in session order."""
    from bot.pii import mask_pii
    from bot.storage.replay_buffer import ReplayBuffer
    from training.export import rated_means

    items = rated_means(ReplayBuffer(db), session)
    if not items:
        raise ValueError(f"no ratings in session {session!r} of {db}")
    # every detail masked, our own too: sessions made before round 27 masked our phone and email, later ones don't
    return [{"message": item["turns"][-1][1], "means": {mask_pii(c["text"]): c["mean"]
                                                         for c in item["candidates"].values()}}
            for item in items]


def scored_drafts(bot, items: list[dict]) -> list[tuple[list[str], np.ndarray]]:
    """(the drafts' texts in the drafter's order, the reward model's scores) for each item's message."""
    from tqdm import tqdm

    from training.reward.drafts import first_message_drafts

    from bot.pii import mask_pii

    out = []
    for item in tqdm(items, desc="scoring drafts"):
        state, drafts = first_message_drafts(bot, item["message"])
        bot.score_rewards(state, drafts)
        texts = [mask_pii(d.text.strip()) for d in drafts]  # compared as rated_items keys them
        out.append((texts, np.array([d.reward for d in drafts], dtype=np.float64)))
    return out


def gains_at(margin: float, items: list[dict], drafted: list) -> dict:
    """What best-of-N with this margin gains over rank 1, in mean rating, on the rated items."""
    from bot.selection.policies import best_of_n_probabilities

    gains, swaps, unrated = [], 0, 0
    for item, (texts, rewards) in zip(items, drafted):
        pick = int(np.argmax(best_of_n_probabilities(rewards, margin)))
        means = item["means"]
        first = means.get(texts[0]) if texts else None
        if pick == 0 or first is None:
            gains.append(0.0)
            continue
        swaps += 1
        if texts[pick] in means:
            gains.append(means[texts[pick]] - first)
        else:  # not rated: the item's other rated replies, on average
            unrated += 1
            others = [m for t, m in means.items() if t != texts[0]]
            gains.append(float(np.mean(others)) - first if others else 0.0)
    return {"margin": round(float(margin), 4), "swaps": swaps, "unrated_swaps": unrated,
            "total_gain": round(float(np.sum(gains)), 3), "mean_gain": round(float(np.mean(gains)), 4),
            "wins": sum(g > 0 for g in gains), "losses": sum(g < 0 for g in gains)}


def candidate_margins(drafted: list) -> list[float]:
    """0 (plain best-of-N), a margin between each two neighbouring leads of an item's best-scored draft over rank 1
    (every distinct set of swaps), and one above the largest (no swap). Midway, not at a lead: a score that comes out
    a hair different when served must not flip the pick."""
    leads = sorted({round(float(r.max() - r[0]), 6) for _, r in drafted if len(r) > 1 and r.max() > r[0]})
    between = [(a + b) / 2 for a, b in zip(leads, leads[1:])]
    return [0.0] + between + ([leads[-1] + 0.05] if leads else [])


def choose(table: list[dict]) -> dict:
    """The largest total gain; a tie goes to the larger margin."""
    return max(table, key=lambda row: (row["total_gain"], row["margin"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.reward.choose_margin", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reward-model", required=True, help="a reward model folder (rlcs train reward)")
    parser.add_argument("--db", required=True, help="rating database holding the side-by-side session")
    parser.add_argument("--session", required=True, help="a rated side-by-side session the model was not trained on")
    parser.add_argument("--write", action="store_true", help="put the chosen margin in the model's card")
    parser.add_argument("--output", default=None, help="also write the table as JSON here")
    args = parser.parse_args(argv)
    if not Path(args.db).exists():
        parser.error(f"no rating database at {args.db}")
    import tempfile

    from bot import Bot, BotConfig
    from bot.selection.reward_model import CARD_NAME

    try:
        items = rated_items(args.db, args.session)
        with tempfile.TemporaryDirectory() as scratch:
            bot = Bot(BotConfig(db_path=str(Path(scratch) / "replay.sqlite3"), policy="first",
                                reward_model=args.reward_model))
            drafted = scored_drafts(bot, items)
    except (ValueError, FileNotFoundError) as err:  # no such session, no ratings, not a reward model
        parser.error(str(err))
    table = [gains_at(m, items, drafted) for m in candidate_margins(drafted)]
    chosen = choose(table)
    result = {"reward_model": args.reward_model, "session": args.session, "messages": len(items),
              "plain_best_of_n": table[0], "chosen": chosen, "table": table}
    print(json.dumps({k: v for k, v in result.items() if k != "table"}, indent=2))
    if args.output:
        from training.results import write_result

        write_result(args.output, result)
    if args.write:
        card_path = Path(args.reward_model) / CARD_NAME
        card = json.loads(card_path.read_text()) if card_path.is_file() else {}
        card["best_of_n_margin"] = chosen["margin"]
        card["best_of_n_margin_chosen_on"] = {"db": Path(args.db).name, "session": args.session,
                                              "messages": len(items), **chosen}
        tmp = card_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(card, indent=2) + "\n")
        tmp.replace(card_path)  # whole or not at all
        print(f"best_of_n_margin {chosen['margin']} written to {card_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
