"""The front doors on one port: Gradio pages mounted on a small FastAPI app that owns logging in.

    /            the public page (`rlcs serve`: the customer chat) or a page behind the login (`rlcs rate`)
    /rate        the rater view (login: rater or operator)
    /operator    the operator console (login: operator)
    /login       the login form; /logout ends the session

A guard in front of every request (i) sends a visitor without the right login to /login (pages) or
answers 401 (anything else), (ii) refuses Gradio's file, upload, proxy and stream routes to everyone but a
logged-in operator, and (iii) refuses paths with '..'. The Gradio apps themselves get no
allowed_paths, and the databases are in their blocked_paths: a copy a page shows is served from
Gradio's own cache, never from the runs folder.
"""
import argparse
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote

# (No `from __future__ import annotations` here: FastAPI reads the route functions' annotations, and
# `Request` is imported inside build() so that `rlcs --help` does not pay for FastAPI.)
from bot.storage.accounts import MIN_PASSWORD, Accounts, AccountError, LoginThrottled, check_password

ADMIN_NAME = "admin"
# Gradio routes that read or write files (or fetch URLs): only an operator's pages need them.
# Matched against the path below the page's mount point (routes are case-sensitive).
FILE_ROUTES = re.compile(r"^/(?:gradio_api/)?(?:file=|file/|upload|proxy=|stream/|process_recording|run-history|"
                         r"vibe|monitoring|mcp)")
ARGV_PASSWORD = ("{option} is not accepted: a password on the command line is visible to every user of this "
                 "machine (ps, shell history). Set the environment variable RLCS_ADMIN_PASSWORD or use "
                 "--admin-password-file FILE for the operator account 'admin'; create rater and other operator "
                 "accounts with `rlcs accounts add NAME --role rater|operator`.")


@dataclass
class Page:
    path: str                        # "/" or "/operator" ...
    blocks: object                   # gr.Blocks
    roles: tuple[str, ...] | None    # None: public; else the account roles that may open it
    title: str = ""


# -- command-line flags --------------------------------------------------------------------------
class _RefuseArgvPassword(argparse.Action):
    def __init__(self, option_strings, dest, **kwargs):
        kwargs.pop("nargs", None)
        super().__init__(option_strings, dest, nargs="?", help=argparse.SUPPRESS)

    def __call__(self, parser, namespace, values, option_string=None):
        parser.error(ARGV_PASSWORD.format(option=option_string))


def add_login_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--admin-password-file", default=None, metavar="FILE",
                        help="file holding the password of the operator account 'admin' (or env RLCS_ADMIN_PASSWORD; "
                             f"at least {MIN_PASSWORD} characters). Other accounts: `rlcs accounts add`")
    parser.add_argument("--admin-password", action=_RefuseArgvPassword)
    parser.add_argument("--rater-password", action=_RefuseArgvPassword)


def admin_password(args) -> str | None:
    """The admin password from --admin-password-file or RLCS_ADMIN_PASSWORD (then removed from the
    environment, so that no child process inherits it); None if neither is given."""
    password = None
    if getattr(args, "admin_password_file", None):
        path = Path(args.admin_password_file)
        if not path.is_file():
            raise FileNotFoundError(f"--admin-password-file: no file {path}")
        password = path.read_text().rstrip("\r\n")
        where = f"--admin-password-file {path}"
    elif os.environ.get("RLCS_ADMIN_PASSWORD"):
        password = os.environ.pop("RLCS_ADMIN_PASSWORD")
        where = "RLCS_ADMIN_PASSWORD"
    if password is None:
        return None
    try:
        return check_password(password, ADMIN_NAME)
    except AccountError as err:
        raise ValueError(f"{where}: {err}") from None


def prepare_accounts(db: str | Path, args) -> Accounts:
    """The accounts next to the replay buffer, with 'admin' set from the env var or file if given."""
    from bot.storage.replay_buffer import ReplayBuffer

    accounts = Accounts(ReplayBuffer(db))  # the replay buffer first: a bad --db fails in one line (StorageError)
    password = admin_password(args)
    if password is not None and accounts.ensure(ADMIN_NAME, "operator", password):
        print(f"rlcs: operator account {ADMIN_NAME!r} set from the given password", flush=True)
    if not any(a["role"] == "operator" for a in accounts.list()):
        print("rlcs: no operator account yet: the console stays closed until you set RLCS_ADMIN_PASSWORD or run "
              "`rlcs accounts add NAME --role operator`", flush=True)
    return accounts


# -- the login pages -----------------------------------------------------------------------------
LOGIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>rlcs · log in</title>
<style>body{{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}}
label{{display:block;margin:.8rem 0 .2rem}}input{{width:100%;padding:.5rem;box-sizing:border-box}}
button{{margin-top:1rem;padding:.5rem 1.2rem}}#login-message{{color:#b91c1c;min-height:1.5rem}}</style></head>
<body><h2>Northwind Threads · {title}</h2><p>Log in with your rlcs account.</p>
<div id="login-message" role="alert">{message}</div>
<form method="post" action="/login"><input type="hidden" name="next" value="{next}">
<label for="login-name">Account</label><input id="login-name" name="username" autocomplete="username" required>
<label for="login-password">Password</label>
<input id="login-password" name="password" type="password" autocomplete="current-password" required>
<button id="login-submit" type="submit">Log in</button></form></body></html>"""


class FrontDoor:
    """Builds the FastAPI app: the login routes, the guard, the Gradio pages."""

    def __init__(self, accounts: Accounts, port: int, pages: list[Page], blocked_paths: list[str]):
        self.accounts = accounts
        self.cookie = f"rlcs_session_{port}"  # per port: two rlcs servers on one host keep apart
        self.pages = sorted(pages, key=lambda p: -len(p.path.rstrip("/")))  # longest prefix first
        self.blocked_paths = blocked_paths

    # -- who is asking ------------------------------------------------------------------------
    def account(self, scope_or_request):
        from starlette.requests import HTTPConnection

        conn = scope_or_request if hasattr(scope_or_request, "cookies") else HTTPConnection(scope_or_request)
        return self.accounts.session(conn.cookies.get(self.cookie))

    def page_for(self, path: str) -> Page | None:
        for page in self.pages:
            prefix = page.path.rstrip("/")
            if not prefix or path == prefix or path.startswith(prefix + "/"):
                return page
        return None

    def _landing(self, account) -> str:
        mine = [p for p in self.pages if p.roles and account.role in p.roles]
        mine.sort(key=lambda p: len(p.roles))  # the page made for this role first (an operator: the console)
        return mine[0].path.rstrip("/") + "/" if mine else "/"

    def _safe_next(self, target: str) -> str | None:
        """Only our own page paths: no open redirect."""
        for page in self.pages:
            if target in (page.path, page.path.rstrip("/") + "/"):
                return page.path.rstrip("/") + "/"
        return None

    # -- the app ------------------------------------------------------------------------------
    def build(self):
        import gradio as gr
        from fastapi import FastAPI, Request
        from fastapi.responses import HTMLResponse, RedirectResponse

        app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
        door = self
        login_title = next((p.title for p in self.pages if p.roles), "log in")

        def login_page(message: str = "", next_path: str = "/", status: int = 200, headers=None):
            body = LOGIN_PAGE.format(title=html.escape(login_title), message=html.escape(message),
                                     next=html.escape(next_path))
            return HTMLResponse(body, status_code=status, headers={"X-Frame-Options": "DENY",
                                                                   "Cache-Control": "no-store", **(headers or {})})

        @app.get("/login")
        def login_form(request: Request, next: str = "/"):  # noqa: A002
            return login_page(next_path=self._safe_next(next) or "/")

        @app.post("/login")
        async def login(request: Request):
            form = parse_qs((await request.body()).decode("utf-8", "replace")[:8192])
            name = (form.get("username") or [""])[0]
            password = (form.get("password") or [""])[0]
            target = door._safe_next((form.get("next") or ["/"])[0])
            ip = request.client.host if request.client else "?"
            try:
                done = door.accounts.login(name, password, ip)
            except LoginThrottled as err:
                return login_page(f"Too many failed attempts. Try again in {err.retry_after} s.", target or "/", 429,
                                  {"Retry-After": str(err.retry_after)})
            if done is None:
                return login_page("Wrong account name or password.", target or "/", 401)
            token, account = done
            page = door.page_for(target) if target else None
            if not page or not page.roles or account.role not in page.roles:  # public or not hers: her own page
                target = door._landing(account)
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(door.cookie, token, max_age=int(door.accounts.session_ttl_s), httponly=True,
                                samesite="strict", secure=request.url.scheme == "https", path="/")
            return response

        @app.get("/logout")
        def logout(request: Request):
            door.accounts.logout(request.cookies.get(door.cookie))
            response = RedirectResponse("/login", status_code=303)
            response.delete_cookie(door.cookie, path="/")
            return response

        for page in self.pages:  # longest prefix first: "/" last, or it would take every path
            page.blocks.queue(default_concurrency_limit=8)

            def user_of(request, roles=page.roles):  # gr.Request.username, and Gradio's own login check
                account = door.account(request)
                return account.name if account and account.role in roles else None

            gr.mount_gradio_app(app, page.blocks, path=page.path.rstrip("/") or "/", footer_links=[],
                                show_error=False, allowed_paths=[], blocked_paths=self.blocked_paths,
                                auth_dependency=user_of if page.roles else None)
        app.add_middleware(_Guard, door=self)
        return app


class _Guard:
    """Pure ASGI middleware (streams pass through untouched): see the module docstring."""

    def __init__(self, app, door: FrontDoor):
        self.app, self.door = app, door

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        refusal = self.check(scope, path)
        if refusal is None:
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        status, body, headers = refusal
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store"),
                                *headers]})
        await send({"type": "http.response.body", "body": body.encode()})

    def check(self, scope, path: str):
        if ".." in path or "\\" in path or "\x00" in path or "%2e%2e" in path.lower():
            return 400, "bad path\n", []
        if path in ("/login", "/logout"):
            return None
        page = self.door.page_for(path)
        if page is None:
            return 404, "not found\n", []
        below = re.sub("/{2,}", "/", path[len(page.path.rstrip("/")):])  # the path inside the mounted Gradio app
        if page.roles is None:
            return (404, "not found\n", []) if FILE_ROUTES.match(below) else None
        account = self.door.account(scope)
        if account is None or account.role not in page.roles:
            prefix = page.path.rstrip("/")
            if scope.get("method") == "GET" and path in (prefix, prefix + "/") and account is None:
                return 303, "log in first\n", [(b"location", f"/login?next={quote(prefix + '/')}".encode())]
            if account is not None:
                return 403, f"the account {account.name!r} ({account.role}) may not open this page; /logout\n", []
            return 401, "log in first: /login\n", []
        if FILE_ROUTES.match(below) and account.role != "operator":
            return 404, "not found\n", []
        if path == page.path.rstrip("/") and path:  # /operator -> /operator/
            return 308, "moved\n", [(b"location", f"{path}/".encode())]
        return None


def blocked_paths(db: str | Path, cache_dir: str | Path | None = None) -> list[str]:
    """The replay buffer with its -wal / -shm / -journal files, and the bot's cache folder (orders.sqlite3)."""
    db = Path(db).resolve()
    paths = [str(db)] + [f"{db}{suffix}" for suffix in ("-wal", "-shm", "-journal")]
    if cache_dir:
        paths.append(str(Path(cache_dir).resolve()))
    return paths


def serve(app, host: str, port: int) -> None:
    import logging

    import uvicorn

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s: %(message)s"))
    auth_log = logging.getLogger("rlcs.auth")  # failed logins, logins
    auth_log.addHandler(handler)
    auth_log.setLevel(logging.INFO)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)
