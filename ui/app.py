"""`rlcs serve`: the front doors on one port (see ui/web.py).

    /            the customer chat: messages, 👍/👎 with a reason, the end-of-conversation rating; nothing internal
    /rate        the rater view (login: rater or operator)
    /operator    the operator console (login: operator): conversations, escalations, figures, rating admin
"""
from __future__ import annotations

import argparse


def add_bot_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags every command that builds a Bot shares."""
    from bot.storage.engine import default_db

    parser.add_argument("--db", default=default_db(), help="replay database: a SQLite file or a postgresql:// URL (default: $RLCS_DB or %(default)s)")
    parser.add_argument("--store-dir", default=None, help="knowledge base + orders folder (default: the shipped demo store)")
    parser.add_argument("--policy", default="softmax",
                        help="first | uniform | softmax | epsilon_greedy | best_of_n (by --reward-model) | promoted | "
                             "checkpoint path (default: %(default)s)")
    parser.add_argument("--n-candidates", type=int, default=8, help="candidates per turn (default: %(default)s)")
    parser.add_argument("--reward-model", default=None, help="trained satisfaction reward model folder")
    parser.add_argument("--reward-margin", type=float, default=None,
                        help="best_of_n keeps rank 1 unless another draft scores more than this above it "
                             "(default: the reward model card's best_of_n_margin, else 0)")
    parser.add_argument("--generator", default=None, help="local Hugging Face model path or OpenAI-compatible URL")
    parser.add_argument("--n-generative", type=int, default=4, help="how many candidates the generator drafts (default: %(default)s)")
    parser.add_argument("--learned-temperature", type=float, default=None,
                        help="serving temperature of a trained or promoted policy (default: its checkpoint's)")
    parser.add_argument("--learned-epsilon", type=float, default=None,
                        help="serving exploration of a trained or promoted policy (default: its checkpoint's)")
    parser.add_argument("--seed", type=int, default=None, help="seed for the policy's sampling")


def set_torch_threads(n: int | None) -> None:
    """A served turn encodes one short message: one intra-op thread per encode is the cheapest on CPU, and
    concurrent sessions encode in parallel instead (bot/encoder.py). Two or more threads per encode spin
    while they wait and cost 3x the CPU per turn on a busy 2-core machine (docs/benchmarks.md)."""
    if n:
        import torch

        torch.set_num_threads(n)


def bot_from_args(args):
    from bot import Bot, BotConfig

    return Bot(BotConfig(db_path=args.db, store_dir=args.store_dir, policy=args.policy, n_candidates=args.n_candidates,
                         reward_model=args.reward_model, reward_margin=args.reward_margin, generator=args.generator,
                         n_generative=args.n_generative, learned_temperature=args.learned_temperature,
                         learned_epsilon=args.learned_epsilon, seed=args.seed))


def build_customer_app(bot, secret: str | None = None):
    """The customer's page: the chat only."""
    import gradio as gr

    from ui.chat import build_chat

    with gr.Blocks(title="Northwind Threads · support") as app:
        gr.Markdown("## Northwind Threads · customer support")
        build_chat(bot, app, secret=secret)
    return app


def build_rater_app(bot_or_store):
    """The rater's page (behind the login): her items, her ratings, nothing else."""
    import gradio as gr

    from ui.rate import build_rate_tab

    with gr.Blocks(title="rlcs · rating") as app:
        gr.Markdown("## Northwind Threads · reply rating")
        build_rate_tab(bot_or_store, app=app)
    return app


def run(args) -> int:
    from ui.web import FrontDoor, Page, blocked_paths, prepare_accounts, serve

    accounts = prepare_accounts(args.db, args)  # a bad password fails here, before the model loads
    from ui.console import build_console

    set_torch_threads(args.torch_threads)
    bot = bot_from_args(args)
    pages = [Page("/", build_customer_app(bot, secret=accounts.secret("chat-browser-state")), None),
             Page("/rate", build_rater_app(bot), ("rater", "operator"), "rating"),
             Page("/operator", build_console(bot), ("operator",), "operator console")]
    app = FrontDoor(accounts, args.port, pages, blocked_paths(args.db, bot.config.cache_dir)).build()
    base = f"http://{args.host}:{args.port}"
    print(f"rlcs: serving on {base}/ (customer chat), {base}/operator/ (operator console, login), "
          f"{base}/rate/ (raters, login); replay buffer: {bot.replay.engine.location}", flush=True)
    serve(app, args.host, args.port)
    return 0


def make_parser(subparsers) -> argparse.ArgumentParser:
    from ui.web import add_login_arguments

    parser = subparsers.add_parser("serve", help="serve the customer chat, and the operator console behind a login",
                                   description="Serve the customer chat (with thumbs and CSAT) at /, the operator "
                                               "console at /operator and the rater view at /rate (both need a login: "
                                               "`rlcs accounts add`, or RLCS_ADMIN_PASSWORD for the account 'admin').")
    add_bot_arguments(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s, this machine only)")
    parser.add_argument("--port", type=int, default=7860, help="port (default: %(default)s)")
    parser.add_argument("--torch-threads", type=int, default=1,
                        help="torch intra-op threads per encode; concurrent sessions run in parallel threads instead "
                             "(default: %(default)s; 0 = torch's default, one per core)")
    add_login_arguments(parser)
    parser.set_defaults(func=run)
    return parser
