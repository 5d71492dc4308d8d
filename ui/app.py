"""`rlcs serve`: the Gradio app (Chat, and Rate / Dashboard where those tabs are installed)."""
from __future__ import annotations

import argparse
import importlib
from pathlib import Path


def add_bot_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags every command that builds a Bot shares."""
    parser.add_argument("--db", default="runs/replay.sqlite3", help="SQLite replay buffer (default: %(default)s)")
    parser.add_argument("--store-dir", default=None, help="knowledge base + orders folder (default: the shipped demo store)")
    parser.add_argument("--policy", default="softmax",
                        help="first | uniform | softmax | epsilon_greedy | reward | promoted | checkpoint path (default: %(default)s)")
    parser.add_argument("--n-candidates", type=int, default=8, help="candidates per turn (default: %(default)s)")
    parser.add_argument("--reward-model", default=None, help="trained satisfaction reward model folder")
    parser.add_argument("--generator", default=None, help="local Hugging Face model path or OpenAI-compatible URL")
    parser.add_argument("--n-generative", type=int, default=4, help="how many candidates the generator drafts (default: %(default)s)")
    parser.add_argument("--learned-temperature", type=float, default=None,
                        help="serving temperature of a trained or promoted policy (default: its checkpoint's)")
    parser.add_argument("--learned-epsilon", type=float, default=None,
                        help="serving exploration of a trained or promoted policy (default: its checkpoint's)")
    parser.add_argument("--seed", type=int, default=None, help="seed for the policy's sampling")


def bot_from_args(args):
    from bot import Bot, BotConfig

    return Bot(BotConfig(db_path=args.db, store_dir=args.store_dir, policy=args.policy, n_candidates=args.n_candidates,
                         reward_model=args.reward_model, generator=args.generator, n_generative=args.n_generative,
                         learned_temperature=args.learned_temperature, learned_epsilon=args.learned_epsilon,
                         seed=args.seed))


def build_app(bot, admin_password: str | None = None):
    import gradio as gr

    from ui.chat import build_chat_tab

    with gr.Blocks(title="rlcs · Northwind Threads support") as app:
        gr.Markdown("## Northwind Threads · customer support")
        with gr.Tab("Chat", elem_id="tab-chat"):
            build_chat_tab(bot)
        # Tabs from other modules, included when present.
        for module_name, builder, title in (("ui.rate", "build_rate_tab", "Rate"),
                                            ("ui.dashboard", "build_dashboard_tab", "Dashboard")):
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as err:
                if err.name != module_name:
                    raise
                continue
            with gr.Tab(title, elem_id=f"tab-{title.lower()}"):
                getattr(module, builder)(bot, admin_password=admin_password)
    return app


def run(args) -> int:
    import os

    bot = bot_from_args(args)
    app = build_app(bot, admin_password=args.admin_password or os.environ.get("RLCS_ADMIN_PASSWORD"))
    print(f"rlcs: serving on http://{args.host}:{args.port} (replay buffer: {args.db})", flush=True)
    app.queue(default_concurrency_limit=8).launch(server_name=args.host, server_port=args.port, show_error=False,
                                                  quiet=True, footer_links=[],
                                                  allowed_paths=[str(Path(args.db).resolve().parent)])  # result plots
    return 0


def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("serve", help="serve the support chat in the browser (Gradio)",
                                   description="Serve the support chat, with thumbs, CSAT and 'why this reply'.")
    add_bot_arguments(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s, this machine only)")
    parser.add_argument("--port", type=int, default=7860, help="port (default: %(default)s)")
    parser.add_argument("--admin-password", default=None,
                        help="password for admin actions in the Rate/Dashboard tabs (or env RLCS_ADMIN_PASSWORD)")
    parser.set_defaults(func=run)
    return parser
