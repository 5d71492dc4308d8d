"""`rlcs promote`: make a trained policy the serving one, only if the logs say it is better.

    rlcs promote runs/policy-dqn --db runs/replay.sqlite3        # gate, then promote
    rlcs promote --rollback                                            # back to the previous version
    rlcs promote --status                                              # what is serving, and the history

The gate: the candidate's doubly robust estimate on the logged turns (per-turn thumbs-up rate, session
bootstrap) must have a LOWER 95% bound above the best of: the serving policy's estimate (the serving
checkpoint's DR estimate on the same turns, or, when nothing is promoted yet, the observed rate of what was
served) and the DR estimates of the simple baselines on the same turns (`BASELINES`): first (rank 1), the
ask-for-the-number rule, best-of-N by the reward model (where the log has its scores) and a contextual
bandit (ridge regression of the thumbs on the same features, cross-fitted: each half of the sessions is
judged with the model fitted on the other half, greedily). A learned policy earns its place only by beating
what a one-line rule or a linear model would do.
`--force` skips the gate (and says so in the history). A policy trained on the very replay file it would be
judged on (its card.json says so) is refused: on its own training data the estimate is optimistic.

Promotion copies the checkpoint into POLICY_DIR/versions/VERSION (retraining into the same folder cannot
change what serves) and atomically rewrites POLICY_DIR/serving.json; every Bot with policy="promoted"
picks it up on its next turn, without a restart. With a postgresql:// --db the promotion (or rollback) is also
a row of that database's promoted_policy table, checkpoint included: every replica serving from it, on any
machine, switches within 2 s (bot/selection/learned.py). A checkpoint that does not load is refused here, and if a
broken one is pointed to anyway, the bot keeps serving the previous version and prints why.
"""
from __future__ import annotations

import argparse


def make_parser(subparsers):
    p = subparsers.add_parser("promote", help="make a trained selection policy the serving one (gated by off-policy evaluation)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint", nargs="?", help="trained policy folder (from `rlcs train policy`)")
    from bot.storage.engine import default_db

    p.add_argument("--db", "--logged", dest="db", default=default_db(), metavar="DB",
                   help="replay database to evaluate on, a SQLite file or a postgresql:// URL (--logged: the old "
                        "spelling); on PostgreSQL the promotion is also stored there, for every replica")
    p.add_argument("--policy-dir", default="runs/policies", help="BotConfig.policy_dir of the serving bot(s)")
    p.add_argument("--force", action="store_true", help="promote without the off-policy gate")
    p.add_argument("--allow-training-logs", action="store_true",
                   help="gate a policy on the very logs it was trained on (its estimate is then optimistic)")
    p.add_argument("--rollback", action="store_true", help="serve the previously promoted version again")
    p.add_argument("--status", action="store_true", help="print the serving version and the promotion history")
    p.add_argument("--bootstrap", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=run)
    return p


def trained_on(checkpoint: str, logged: str) -> bool:
    """Whether the checkpoint's card says it was trained on this replay buffer (same file, or the same bytes)."""
    import hashlib
    import json
    from pathlib import Path

    try:
        data = json.loads((Path(checkpoint) / "card.json").read_text()).get("data") or {}
    except (FileNotFoundError, json.JSONDecodeError):
        return False
    if not data.get("replay_buffer"):
        return False
    from bot.storage.engine import is_postgres, redact

    if is_postgres(logged) or is_postgres(data["replay_buffer"]):  # a server: the same database is the same URL
        return data["replay_buffer"] == redact(logged)
    if Path(data["replay_buffer"]).resolve() == Path(logged).resolve():
        return True
    return bool(data.get("sha256")) and data["sha256"] == hashlib.sha256(Path(logged).read_bytes()).hexdigest()


BASELINES = ("first", "ask_rule", "best_of_n", "bandit")


def baseline_probabilities(name: str, turns, q, needs_of: dict) -> list | None:
    """pi(.|s) of a simple baseline on each logged turn; None where the log cannot say (best_of_n without
    reward-model scores)."""
    import numpy as np

    from bot.selection.policies import ask_rule_index, best_of_n_probabilities

    def onehot(t, i):
        p = np.zeros(len(t.x))
        p[i] = 1.0
        return p

    if name == "first":
        return [onehot(t, 0) for t in turns]
    if name == "ask_rule":
        return [onehot(t, ask_rule_index(t.candidates, needs_of)) for t in turns]
    if name == "best_of_n":
        if not any(np.isfinite(t.rm).any() for t in turns):
            return None  # no reward-model scores logged: it would be rank 1 again
        return [best_of_n_probabilities(t.rm) for t in turns]
    if name == "bandit":  # greedy on the cross-fitted ridge: fitted on the other half of the sessions
        return [onehot(t, int(np.argmax(qi))) for t, qi in zip(turns, q)]
    raise ValueError(f"unknown baseline {name!r}; use {', '.join(BASELINES)}")


def gate(checkpoint: str, logged: str, policy_dir: str, bot=None, n_boot: int = 1000, seed: int = 0,
         allow_training_logs: bool = False, db=None, baselines=BASELINES) -> dict:
    """Off-policy comparison of `checkpoint` with what serves now and with the simple `baselines`. Returns the
    decision and the figures. baselines=() compares with the serving policy alone."""
    from bot.selection.features import FeatureBuilder
    from bot.selection.learned import PolicyLoadError, load_checkpoint, read_pointer
    from training.policy import ope

    if not allow_training_logs and trained_on(checkpoint, logged):
        # Measured: DQN trained on runs/sim-logs.sqlite3 got DR 0.746 [0.619, 0.887] on its first turns there,
        # while its on-policy first-turn value was 0.592 (docs/selection-policy.md).
        raise ValueError(f"{checkpoint} was trained on {logged}: judged on its own training data its estimate is "
                         "optimistic. Gate it on turns logged after training (another replay file), or pass "
                         "--allow-training-logs")

    features = FeatureBuilder.for_bot(bot) if bot is not None else FeatureBuilder.for_store()
    candidate = load_checkpoint(checkpoint, features)  # PolicyLoadError (a ValueError) says what is wrong
    episodes = ope.load_logged(logged, features)
    turns, rewards = ope.thumb_turns(episodes)
    if len(turns) < 20:
        raise ValueError(f"{logged} has {len(turns)} turns with a thumb; the gate needs at least 20 to say anything")
    q = ope.cross_fitted_q(turns, rewards, seed=seed)
    est = ope.estimate([candidate.probabilities_from_features(t.x) for t in turns], turns, rewards, q, n_boot, seed=seed)
    pointer = read_pointer(policy_dir, db)
    serving = {"version": "logging policy (nothing promoted)", "source": "observed"}
    baseline = ope.logging_value(turns, rewards, n_boot, seed)["ips"]
    if pointer:
        try:
            current = load_checkpoint(pointer["path"], features)
            cur = ope.estimate([current.probabilities_from_features(t.x) for t in turns], turns, rewards, q, n_boot, seed=seed)
            serving, baseline = {"version": current.version, "source": "dr"}, cur["dr"]
        except PolicyLoadError as err:  # the serving pointer is broken: compare with what was actually served
            serving = {"version": pointer.get("version"), "source": f"observed (serving checkpoint unloadable: {err})"}
    if bot is not None:
        kb = bot.kb
    else:
        from bot.shop.knowledge import KnowledgeBase
        from bot.shop.paths import STORE_DIR

        kb = KnowledgeBase.load(STORE_DIR)
    needs_of = {t.id: tuple(t.needs) for t in kb.answers}
    simple = {}
    for name in baselines:
        probs = baseline_probabilities(name, turns, q, needs_of)
        if probs is not None:
            b = ope.estimate(probs, turns, rewards, q, n_boot, seed=seed)
            simple[name] = {"estimate": b["dr"], "lower": b["dr_lo"], "upper": b["dr_hi"]}
    bar, bar_name = float(baseline), serving["version"]
    for name, b in simple.items():
        if b["estimate"] > bar:
            bar, bar_name = b["estimate"], name
    return {"candidate": candidate.version, "estimate": est["dr"], "lower": est["dr_lo"], "upper": est["dr_hi"],
            "serving": serving["version"], "serving_estimate": float(baseline), "serving_source": serving["source"],
            "baselines": simple, "bar": bar, "bar_name": bar_name,
            "turns": len(turns), "promote": bool(est["dr_lo"] > bar), "ope": est}


def promote(checkpoint: str, policy_dir: str, decision: dict | None = None, forced: bool = False, db=None) -> dict:
    """Copy the checkpoint into the policy dir and point the serving bots at it (with a PostgreSQL `db`: every
    replica that serves from that database, on any machine)."""
    import shutil
    from pathlib import Path

    from bot.selection.learned import read_pointer, write_pointer

    config_version = decision["candidate"] if decision else _version_of(checkpoint)
    target = Path(policy_dir) / "versions" / config_version
    if not target.exists():
        tmp = target.with_name(target.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(checkpoint, tmp)
        tmp.rename(target)
    previous = read_pointer(policy_dir, db)
    record = {"event": "forced" if forced else "promoted", "path": str(target.resolve()), "version": config_version,
              "source": str(Path(checkpoint).resolve()), "previous": previous,
              "gate": {k: v for k, v in (decision or {}).items() if k != "ope"}}
    write_pointer(policy_dir, record, db)
    return record


def rollback(policy_dir: str, db=None) -> dict:
    from bot.selection.learned import read_pointer, write_pointer

    current = read_pointer(policy_dir, db)
    if not current:
        raise ValueError(f"nothing is promoted in {policy_dir}; nothing to roll back")
    previous = current.get("previous")
    if not previous:
        raise ValueError(f"{current['version']} is the first promoted version in {policy_dir}; there is nothing before it")
    record = {**previous, "event": "rollback", "rolled_back": current["version"]}
    write_pointer(policy_dir, record, db)
    return record


def _version_of(checkpoint: str) -> str:
    import json
    from pathlib import Path

    try:
        return json.loads((Path(checkpoint) / "config.json").read_text())["version"]
    except (FileNotFoundError, json.JSONDecodeError, KeyError):
        raise ValueError(f"{checkpoint} is not a policy checkpoint (config.json with a version is missing)") from None


def run(args) -> int:
    import json
    from pathlib import Path

    from bot.selection.learned import HISTORY, promotion_history, read_pointer
    from bot.storage.engine import is_postgres

    db = args.db if is_postgres(args.db) else None  # on PostgreSQL the pointer lives there, for every replica
    if args.status:
        pointer = read_pointer(args.policy_dir, db)
        print(json.dumps(pointer, indent=2) if pointer else "nothing promoted")
        history = Path(args.policy_dir) / HISTORY
        if db is not None:
            for r in promotion_history(db):
                print(f"{r['event']:>9}  {r['version']}")
        elif history.exists():
            for line in history.read_text().splitlines():
                r = json.loads(line)
                print(f"{r['event']:>9}  {r['version']}")
        return 0
    if args.rollback:
        record = rollback(args.policy_dir, db)
        print(f"rolled back {record['rolled_back']} -> now serving {record['version']}")
        return 0
    if not args.checkpoint:
        raise ValueError("give a checkpoint folder to promote (or --rollback / --status)")
    if not Path(args.checkpoint).is_dir():
        raise FileNotFoundError(f"no policy checkpoint at {args.checkpoint}")
    if args.force:
        from bot.selection.features import FeatureBuilder
        from bot.selection.learned import load_checkpoint

        load_checkpoint(args.checkpoint, FeatureBuilder.for_store())  # never point bots at a broken checkpoint
        record = promote(args.checkpoint, args.policy_dir, forced=True, db=db)
        print(f"promoted {record['version']} WITHOUT the off-policy gate (--force)")
        return 0
    if db is None and not Path(args.db).exists():
        raise FileNotFoundError(f"no replay buffer at {args.db} (the gate needs logged turns; or use --force)")
    decision = gate(args.checkpoint, args.db, args.policy_dir, n_boot=args.bootstrap, seed=args.seed,
                    allow_training_logs=args.allow_training_logs, db=db)
    summary = (f"{decision['candidate']}: DR {decision['estimate']:.3f} [{decision['lower']:.3f}, {decision['upper']:.3f}] "
               f"on {decision['turns']} logged turns vs serving {decision['serving']} at {decision['serving_estimate']:.3f} "
               f"({decision['serving_source']})")
    summary += "".join(f"\n  baseline {name}: DR {b['estimate']:.3f} [{b['lower']:.3f}, {b['upper']:.3f}]"
                       for name, b in decision["baselines"].items())
    if not decision["promote"]:
        print(f"not promoted: lower bound {decision['lower']:.3f} does not beat {decision['bar']:.3f} "
              f"({decision['bar_name']})\n  {summary}")
        return 1
    record = promote(args.checkpoint, args.policy_dir, decision, db=db)
    print(f"promoted {record['version']}\n  {summary}")
    return 0
