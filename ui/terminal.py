"""`rlcs chat`: talk to the bot in a terminal, with the same feedback the browser has."""
from __future__ import annotations

import argparse
import uuid

HELP = """commands:
  /up                 thumbs up for the last reply
  /down [REASON]      thumbs down ({reasons})
  /why                the candidates behind the last reply
  /end CSAT yes|no    end the conversation with a 1-5 score and whether it was resolved
  /new                start a new conversation
  /quit               leave"""


def run(args) -> int:
    from bot.explain import explain_text
    from bot.storage.replay_buffer import REASONS, FeedbackError, SessionEnded, StorageError
    from bot.text import InvalidMessage
    from ui.app import bot_from_args

    bot = bot_from_args(args)
    session, last = uuid.uuid4().hex[:12], None
    print("Northwind Threads support. Type a message, or /help.")
    while True:
        try:
            line = input("you> ").strip()
        except EOFError:
            print()
            return 0
        command, _, rest = line.partition(" ")
        try:
            if command in ("/quit", "/exit"):
                return 0
            elif command == "/help":
                print(HELP.format(reasons=", ".join(REASONS)))
            elif command in ("/up", "/down", "/why") and last is None:
                print("(no reply yet)")
            elif command == "/up":
                bot.feedback(last.turn_id, thumb=1)
                print("(noted 👍)")
            elif command == "/down":
                bot.feedback(last.turn_id, thumb=-1, reason=rest.strip() or None)
                print("(noted 👎)")
            elif command == "/why":
                print(explain_text(last))
            elif command == "/end":
                score, _, answer = rest.partition(" ")
                if not score.isdigit() or answer.strip() not in ("yes", "no"):
                    print("usage: /end CSAT yes|no   e.g. /end 4 yes")
                    continue
                bot.end_session(session, csat=int(score), resolved=answer.strip() == "yes")
                print("(thanks! starting a new conversation)")
                session, last = uuid.uuid4().hex[:12], None
            elif command == "/new":
                session, last = uuid.uuid4().hex[:12], None
                print("(new conversation)")
            else:
                last = bot.reply(session, line)
                print(f"bot> {last.text}")
        except (InvalidMessage, FeedbackError, SessionEnded, StorageError) as err:  # say it, keep chatting
            print(f"(!) {err}")


def make_parser(subparsers) -> argparse.ArgumentParser:
    from ui.app import add_bot_arguments

    parser = subparsers.add_parser("chat", help="chat with the bot in the terminal",
                                   description="Chat in the terminal. /help lists feedback commands.")
    add_bot_arguments(parser)
    parser.set_defaults(func=run)
    return parser
