"""The Dashboard tab (admin): rating sessions, rater agreement, Bradley-Terry scores, export, and the plots
that training and evaluation jobs drew (reward calibration, policy comparison, regret curves).

Layout and wiring only: sessions live in bot/ratings/store.py, the statistics in bot/ratings/statistics.py,
the export in training/export.py. It is part of the operator console, behind the operator login (ui/web.py);
every action also checks, on the server, that the request comes from a logged-in account. Plots and exports
reach the browser as copies (images in memory, an export copied to a temporary folder): nothing in the runs
folder is served.
"""
from __future__ import annotations

import math
import shutil
import tempfile
import time
from pathlib import Path

import gradio as gr

from bot.ratings.store import MAX_CANDIDATES, RatingError
from ui.rate import as_store

SESSION_COLUMNS = ["session", "mode", "items", "overlap", "raters", "submissions", "items complete", "status", "source"]
AGREEMENT_COLUMNS = ["scope", "mode", "raters", "items", "alpha nominal", "alpha ordinal", "alpha interval"]
RATER_COLUMNS = ["session", "rater", "submitted", "pending", "shared units", "alpha vs rest", "alpha without", "flag"]
BOARD_COLUMNS = ["name", "Elo", "95% low", "95% high", "comparisons", "wins", "ties", "losses"]


def _fmt(x, digits=3):
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), digits)


def dashboard_tables(store, by: str = "source", n_boot: int = 200, plot_dir: str | Path | None = None):
    """Everything the dashboard shows, as table rows (+ the plot path): usable without a browser."""
    from bot.ratings.statistics import agreement_table, comparisons_from_rows, leaderboard, plot_leaderboard, rater_table

    sessions = [[s["session_id"], s["mode"], s["items"], s["overlap"], s["raters"], s["submissions"], s["complete"],
                 "closed" if s["closed_at"] else "open", s["source"]] for s in store.sessions()]
    rows = store.rating_rows()
    agreement = [[a["scope"], a["mode"], a["raters"], a["items"], _fmt(a["alpha_nominal"]), _fmt(a["alpha_ordinal"]),
                  _fmt(a["alpha_interval"])] for a in agreement_table(rows)]
    agreement_of = {(r["session_id"], r["rater"]): r for r in rater_table(rows)}
    raters = []
    for p in store.raters():  # every rater who was given an item, with or without agreement figures yet
        r = agreement_of.get((p["session_id"], p["rater_id"]), {})
        raters.append([p["session_id"], p["rater_id"], p["submitted"], p["assigned"] - p["submitted"],
                       r.get("shared_units", 0), _fmt(r.get("alpha_vs_rest")), _fmt(r.get("alpha_without")),
                       "near chance" if r.get("flag") else ""])
    board_rows = leaderboard(comparisons_from_rows(rows, by), n_boot=n_boot)
    board = [[b["name"], _fmt(b["elo"], 1), _fmt(b["lo"], 1), _fmt(b["hi"], 1), b["comparisons"], b["wins"], b["ties"],
              b["losses"]] for b in board_rows]
    plot = None
    if board_rows:
        plot_dir = Path(plot_dir or store.replay.folder / "ratings")
        plot_dir.mkdir(parents=True, exist_ok=True)
        plot = plot_leaderboard(board_rows, plot_dir / f"bradley_terry_{by}.png",
                                title=f"Bradley-Terry strength by {by.replace('_', ' ')} (95% bootstrap interval)")
    return sessions, agreement, raters, board, plot


def result_plots(runs_dir: str | Path, limit: int = 24) -> list[tuple[str, str]]:
    """(path, caption) of every PNG a job wrote one folder below runs_dir (runs/eval-policy/policies.png,
    runs/reward/calibration.png, runs/bench-policy/regret.png, ...), newest first."""
    runs_dir = Path(runs_dir)
    if not runs_dir.is_dir():
        return []
    plots = sorted(((p.stat().st_mtime, p) for p in runs_dir.glob("*/*.png") if p.is_file() and not p.is_symlink()),
                   reverse=True)
    return [(str(p), f"{p.parent.name}/{p.name} · {time.strftime('%Y-%m-%d %H:%M', time.localtime(mtime))}")
            for mtime, p in plots[:limit]]


def in_memory(path: str | Path | None):
    """A PNG as a PIL image (the page gets a copy, never a path into the runs folder)."""
    if not path:
        return None
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.load()
            return image.copy()
    except OSError:
        return None


def logged_in(request) -> str:
    """The account behind a request; the console's door lets in only operators, this checks it again."""
    name = getattr(request, "username", None)
    if not name:
        raise gr.Error("Log in as an operator first.")
    return name


def build_dashboard_tab(bot_or_store, app=None) -> None:
    """Declare the rating-session admin, results and export inside the enclosing Blocks/Tab (the operator
    console). With `app`, the tables load when the page opens."""
    store = as_store(bot_or_store)

    gr.Markdown("### Rating sessions\nCreate sessions, watch agreement and Bradley-Terry scores, export "
                "training data. Raters never see this tab's data.", elem_id="dash-help")
    notice = gr.Markdown("", elem_id="dash-notice")
    with gr.Column(elem_id="dash-admin"):
        with gr.Accordion("New rating session", open=False, elem_id="dash-new"):
            with gr.Row():
                new_id = gr.Textbox(label="Session id", placeholder="e.g. pilot-1 (empty: date and time)",
                                    elem_id="dash-new-id")
                source = gr.Radio(["replay buffer", "JSONL file"], value="replay buffer", label="Items from",
                                  elem_id="dash-new-source")
                mode = gr.Radio(["score", "rank"], value="score", label="Raters give", elem_id="dash-new-mode")
            with gr.Row():
                overlap = gr.Number(2, precision=0, minimum=2, label="Raters per item", elem_id="dash-new-overlap")
                quota = gr.Number(0, precision=0, minimum=0, label="Items per rater (0 = no limit)",
                                  elem_id="dash-new-quota")
                n_items = gr.Number(20, precision=0, minimum=1, label="Items (replay buffer)", elem_id="dash-new-n")
                max_k = gr.Number(4, precision=0, minimum=2, maximum=MAX_CANDIDATES, label="Replies per item (replay)",
                                  elem_id="dash-new-k")
            with gr.Row():
                jsonl = gr.File(label="Items JSONL", file_types=[".jsonl"], type="filepath", elem_id="dash-new-file")
                require = gr.Checkbox(True, label="Reasons required for low scores", elem_id="dash-new-require")
            create = gr.Button("Create session", variant="primary", elem_id="dash-create")
        with gr.Row():
            refresh = gr.Button("Refresh", elem_id="dash-refresh")
            to_close = gr.Dropdown(label="Session to close", choices=[], elem_id="dash-close-id")
            close = gr.Button("Close session", elem_id="dash-close")
        sessions = gr.Dataframe(headers=SESSION_COLUMNS, interactive=False, label="Sessions", elem_id="dash-sessions")
        gr.Markdown("#### Agreement: Krippendorff's alpha (1 = perfect, 0 = chance; a unit is one reply of one item)")
        agreement = gr.Dataframe(headers=AGREEMENT_COLUMNS, interactive=False, elem_id="dash-agreement")
        raters = gr.Dataframe(headers=RATER_COLUMNS, interactive=False,
                              label="Raters: progress, and agreement with the rest (ordinal alpha)",
                              elem_id="dash-raters")
        gr.Markdown("#### Bradley-Terry scores with bootstrap 95% intervals (resampling items)")
        by = gr.Radio(["source", "policy_version"], value="source", label="Compare", elem_id="dash-by")
        board = gr.Dataframe(headers=BOARD_COLUMNS, interactive=False, elem_id="dash-board")
        plot = gr.Image(label="Bradley-Terry plot", type="pil", elem_id="dash-plot", height=360)
        gr.Markdown("#### Training and evaluation results\nPlots the jobs wrote into the runs folder "
                    "(`rlcs eval policy`, `rlcs train reward`, `rlcs bench policy`, ...), newest first.")
        results = gr.Gallery(label="Result plots", columns=2, height=520, elem_id="dash-results", show_label=False)
        gr.Markdown("#### Export for training (`rlcs export` does the same)")
        with gr.Row():
            fmt = gr.Radio(["reward", "kto", "turns"], value="reward", label="Format", elem_id="dash-export-format")
            export_btn = gr.Button("Export", elem_id="dash-export")
            exported = gr.File(label="Download", elem_id="dash-export-file", height=120)

    table_outputs = [sessions, agreement, raters, board, plot, to_close, results]

    def tables(key, request: gr.Request):
        logged_in(request)
        s, a, r, b, p = dashboard_tables(store, key)
        opened = store.open_sessions()
        gallery = [(image, caption) for path, caption in result_plots(store.replay.folder)
                   if (image := in_memory(path)) is not None]
        return [s, a, r, b, in_memory(p), gr.update(choices=opened, value=opened[-1] if opened else None), gallery]

    def do_create(sid, src, md, ov, qu, n, k, path, req, key, request: gr.Request):
        logged_in(request)
        options = {"mode": md, "overlap": int(ov or 0), "quota": int(qu) if qu else None, "require_reasons": bool(req)}
        try:
            if src == "JSONL file":
                if not path:
                    raise RatingError("choose a JSONL file of items first")
                created = store.create_session_from_jsonl(path, (sid or "").strip() or Path(path).stem, **options)
            else:
                created = store.create_session_from_replay((sid or "").strip() or None, n_items=int(n or 0),
                                                           max_candidates=int(k or 0), **options)
        except (RatingError, FileNotFoundError) as err:
            return [f"⚠️ {err}"] + [gr.update()] * len(table_outputs)
        return [f"Created session **{created}**."] + tables(key, request)

    def do_close(sid, key, request: gr.Request):
        logged_in(request)
        try:
            store.close_session(sid)
        except RatingError as err:
            return [f"⚠️ {err}"] + [gr.update()] * len(table_outputs)
        return [f"Closed session **{sid}**."] + tables(key, request)

    def do_export(what, request: gr.Request):
        from training.export import export

        logged_in(request)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        out = store.replay.folder / "export" / f"{what}-{stamp}.jsonl"
        try:
            path, n, counts = export(store.replay.db, what, out)
        except (ValueError, FileNotFoundError) as err:
            return f"⚠️ {err}", None
        detail = ", ".join(f"{v} from {k}" for k, v in counts.items())
        download = None
        if Path(path).is_file():  # the browser downloads a copy; the runs folder itself is never served
            download = Path(tempfile.mkdtemp(prefix="rlcs-export-")) / Path(path).name
            shutil.copyfile(path, download)
        return f"Exported {n} {what} rows ({detail}) to `{path}`.", (str(download) if download else None)

    if app is not None:
        app.load(tables, [by], table_outputs)
    refresh.click(tables, [by], table_outputs)
    by.change(tables, [by], table_outputs)
    create.click(do_create, [new_id, source, mode, overlap, quota, n_items, max_k, jsonl, require, by],
                 [notice, *table_outputs])
    close.click(do_close, [to_close, by], [notice, *table_outputs])
    export_btn.click(do_export, [fmt], [notice, exported])
