"""Several trained selection policies served as one: `python -m training.policy.ensemble`.

    python -m training.policy.ensemble --members runs/policy-dqn,runs/policy-dqn-s1,runs/policy-dqn-s2 \
        --output-dir runs/policy-dqn-ensemble [--temperature 0.01 --epsilon 0.01]

Training runs that differ only in their seed agree on the clear choices and scatter on near-ties, where
one run's quirk can cost satisfaction. The ensemble scores each candidate by the members' mean score
(bot/selection/learned.py: ensemble_net) and is one ordinary checkpoint: it loads, serves, is evaluated
and promoted like any other. Members must have been trained for the same features and reward inputs.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

SAME = ("features_version", "reward_feature", "hidden", "embed_rank", "n_features")  # what members must share


def combine(member_paths: list[str], output_dir: str, temperature: float | None = None,
            epsilon: float | None = None, features=None) -> str:
    """Write the ensemble checkpoint; return its version. Serving settings default to the first member's.
    features: what the checkpoints are checked against (default: this store's FeatureBuilder)."""
    from bot.selection.features import FeatureBuilder
    from bot.selection.learned import PolicyLoadError, ensemble_net, load_checkpoint, save_checkpoint

    if len(member_paths) < 2:
        raise ValueError("an ensemble needs at least 2 members")
    features = features or FeatureBuilder.for_store()
    members = [load_checkpoint(path, features) for path in member_paths]
    for path, member in zip(member_paths[1:], members[1:]):
        differs = [k for k in SAME if member.config.get(k) != members[0].config.get(k)]
        if differs or getattr(member.net, "members", 1) > 1:
            raise PolicyLoadError(f"{path} cannot join {member_paths[0]}: "
                                  f"{'different ' + ', '.join(differs) if differs else 'it is an ensemble itself'}")
    first = members[0].config
    config = {"algo": f"{first.get('algo', 'policy')}-ensemble", "features_version": first["features_version"],
              "reward_feature": first.get("reward_feature", False),
              "temperature": first.get("temperature") if temperature is None else temperature,
              "epsilon": first.get("epsilon") if epsilon is None else epsilon}
    card = {"members": [{"path": str(Path(p)), "version": m.version} for p, m in zip(member_paths, members)]}
    return save_checkpoint(ensemble_net([m.net for m in members]), output_dir, config, card)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.policy.ensemble", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", required=True, help="comma list of trained policy checkpoints (2 or more)")
    parser.add_argument("--output-dir", required=True, help="where the ensemble checkpoint goes")
    parser.add_argument("--temperature", type=float, default=None, help="serving softmax temperature (default: the first member's)")
    parser.add_argument("--epsilon", type=float, default=None, help="serving epsilon (default: the first member's)")
    args = parser.parse_args(argv)
    try:
        version = combine([m.strip() for m in args.members.split(",") if m.strip()], args.output_dir,
                          args.temperature, args.epsilon)
    except ValueError as err:  # PolicyLoadError included: one line, no trace
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"wrote {args.output_dir} ({version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
