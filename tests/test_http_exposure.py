"""Nothing is served that should not be: real `rlcs serve` and `rlcs rate` processes, probed over HTTP
for the databases (replay buffer, -wal, -shm, the order cache), traversal and Gradio's file and upload
routes, without a login, with a rater's login and with an operator's. No body may hold a database."""
import http.client
import sqlite3
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from bot.storage.accounts import Accounts
from browser import REPO, rlcs_server

ADMIN_PASSWORD = "operator-pass-1"
RATER = ("rita", "rita-password-1")
SQLITE_MAGIC = b"SQLite format 3"


def fetch(url: str, path: str, method: str = "GET", cookie: str | None = None, body: bytes | None = None,
          headers: dict | None = None):
    """One raw request: the path goes out byte for byte (no normalising of '..' or %2e)."""
    conn = http.client.HTTPConnection(urlsplit(url).netloc, timeout=20)
    try:
        conn.request(method, path, body=body, headers={**({"Cookie": cookie} if cookie else {}), **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read(), response.getheader("Set-Cookie") or ""
    finally:
        conn.close()


def login(url: str, name: str, password: str) -> str:
    form = f"username={quote(name)}&password={quote(password)}&next=/".encode()
    status, _, cookie = fetch(url, "/login", "POST", body=form,
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 303 and cookie, (status, cookie)
    return cookie.split(";")[0]


def probes(db: Path) -> list[str]:
    db = db.resolve()
    orders = (REPO / "runs" / "cache" / "orders.sqlite3").resolve()
    files = [str(db), f"{db}-wal", f"{db}-shm", str(orders), "runs/cache/orders.sqlite3", "runs/replay.sqlite3"]
    paths = []
    for f in files:
        paths += [f"/gradio_api/file={f}", f"/file={f}", f"/gradio_api/file/{f}", f"/gradio_api/file={quote(f, safe='')}"]
    paths += [f"/gradio_api/file={db.parent}", f"/gradio_api/file={db.parent}/", f"/file={db.parent}",
              "/gradio_api/file=../../etc/passwd", "/file=../../../../etc/passwd",
              "/gradio_api/file=%2e%2e/%2e%2e/etc/passwd", "/gradio_api/file=..%2f..%2f..%2fetc%2fpasswd",
              "/gradio_api/file=%252e%252e%252f%252e%252e%252fetc%252fpasswd",
              f"/gradio_api/file=/tmp/../{str(db).lstrip('/')}", f"/static/../../../../{str(db).lstrip('/')}",
              f"/assets/..%2f..%2f..%2f{quote(str(db).lstrip('/'), safe='')}", "/runs/replay.sqlite3",
              "/runs/cache/orders.sqlite3", f"/{db.name}", "/gradio_api/proxy=http://127.0.0.1:1/",
              f"//gradio_api/file={db}", f"/gradio_api//file={db}", f"/gradio_api/file={db}?x=1",
              f"/gradio_api/file={str(db).upper()}"]
    return paths


def assert_refused(url: str, paths: list[str], cookie: str | None, who: str) -> None:
    leaks = []
    for path in paths:
        status, body, _ = fetch(url, path, cookie=cookie)
        if status == 200 or SQLITE_MAGIC in body or b"root:x:0:0" in body:
            leaks.append(f"{who} GET {path} -> {status} {body[:60]!r}")
    assert not leaks, "\n".join(leaks)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("exposure")
    db = tmp / "runs" / "replay.sqlite3"
    db.parent.mkdir()
    Accounts(db).add(*RATER[:1], "rater", RATER[1])
    env = {"RLCS_ADMIN_PASSWORD": ADMIN_PASSWORD}
    with rlcs_server(["serve", "--db", str(db), "--policy", "first"], tmp / "serve.log", env=env) as serve_url, \
            rlcs_server(["rate", "--db", str(db)], tmp / "rate.log", env=env) as rate_url:
        yield db, serve_url, rate_url


def test_no_database_or_outside_file_is_served_to_anyone(servers):
    db, serve_url, rate_url = servers
    assert SQLITE_MAGIC in db.read_bytes()[:16]  # the file the probes must never return
    base = probes(db)
    for url, prefixes in ((serve_url, ["", "/operator", "/rate"]), (rate_url, ["", "/operator"])):
        paths = [prefix + p for prefix in prefixes for p in base]
        rater = login(url, *RATER)
        operator = login(url, "admin", ADMIN_PASSWORD)
        assert_refused(url, paths, None, "visitor")
        assert_refused(url, paths, rater, "rater")
        assert_refused(url, paths, operator, "operator")  # not even an operator downloads the files
        # The operator's request reached Gradio's file route, which refused it itself (not in allowed_paths, blocked).
        assert fetch(url, f"/operator/gradio_api/file={db.resolve()}", cookie=operator)[0] == 403


def test_pages_behind_the_login_and_uploads_are_refused_without_one(servers):
    db, serve_url, rate_url = servers
    assert fetch(serve_url, "/")[0] == 200  # the customer chat is public
    for url, page in ((serve_url, "/operator/"), (serve_url, "/rate/"), (rate_url, "/"), (rate_url, "/operator/")):
        status, _, _ = fetch(url, page)
        assert status == 303, (url, page, status)  # to the login form
        for api in ("config", "gradio_api/info", "gradio_api/queue/join"):
            assert fetch(url, page + api)[0] == 401
    rater = login(serve_url, *RATER)
    assert fetch(serve_url, "/rate/", cookie=rater)[0] == 200
    assert fetch(serve_url, "/operator/", cookie=rater)[0] == 403  # a rater is not an operator
    upload = b"--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nhello\r\n--x--\r\n"
    form = {"Content-Type": "multipart/form-data; boundary=x"}
    for url, path, cookie in ((serve_url, "/gradio_api/upload", None), (serve_url, "/operator/gradio_api/upload", None),
                              (serve_url, "/operator/gradio_api/upload", rater), (serve_url, "/rate/gradio_api/upload", rater),
                              (rate_url, "/gradio_api/upload", login(rate_url, *RATER))):
        status, body, _ = fetch(url, path, "POST", cookie=cookie, body=upload, headers=form)
        assert status in (401, 403, 404), (path, status, body[:80])
    operator = login(serve_url, "admin", ADMIN_PASSWORD)  # an operator may upload (a JSONL of rating items)
    assert fetch(serve_url, "/operator/gradio_api/upload", "POST", cookie=operator, body=upload, headers=form)[0] == 200


def test_failed_logins_are_throttled_over_http(servers):
    _, serve_url, _ = servers
    Accounts(servers[0]).add("tess", "rater", "tess-password-1")
    form = lambda pw: f"username=tess&password={pw}&next=/rate/".encode()  # noqa: E731
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    statuses = [fetch(serve_url, "/login", "POST", body=form("wrong-guess"), headers=headers)[0] for _ in range(3)]
    assert statuses == [401, 401, 401]
    status, body, _ = fetch(serve_url, "/login", "POST", body=form("tess-password-1"), headers=headers)
    assert status == 429 and b"Too many failed attempts" in body  # even the right password waits its turn
    cookie = None
    for _ in range(40):  # the first wait is 1 s
        status, _, cookie = fetch(serve_url, "/login", "POST", body=form("tess-password-1"), headers=headers)
        if status != 429:
            break
        import time

        time.sleep(0.25)
    assert status == 303 and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert sqlite3.connect(servers[0]).execute("SELECT password_hash FROM accounts WHERE name='tess'").fetchone()[0] \
        .startswith("scrypt$")
