"""`rlcs eval replies`: a blind rating session of the bot's replies, rated by two raters, and its report."""
from __future__ import annotations

import json
import subprocess
import sys

from bot.ratings.store import RatingStore
import needs  # tests/needs.py: skips when the shared reference data is missing


def rlcs(*args):
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True, timeout=300)


def test_blind_session_of_served_replies_and_its_report(tmp_path):
    messages = tmp_path / "messages.jsonl"
    rows = [{"id": "m1", "message": "where is my order, it was meant to come monday", "topic": "delivery_delay"},
            {"id": "m2", "message": "what's the weather like in paris tomorrow", "topic": "off_topic"},
            {"id": "m3", "message": "I want to return a jacket that doesn't fit", "topic": "return"}]
    messages.write_text("\n".join(json.dumps(r) for r in rows))
    db = str(tmp_path / "rating.sqlite3")
    made = rlcs("eval", "replies", "--messages", str(messages), "--db", db, "--session", "t1",
                "--scratch-db", str(tmp_path / "scratch.sqlite3"))
    assert made.returncode == 0, made.stderr
    key = json.loads((tmp_path / "rating.t1.key.json").read_text())
    assert set(key) == {"m1", "m2", "m3"}
    store = RatingStore(db)
    for rater, served_score in (("rater-a", 5), ("rater-b", 4)):
        while (item := store.next_item("t1", rater)) is not None:
            # blind: two replies, no sources; find the served one through the admin key only
            assert len(item.replies) == 2
            served = store.replay.query("SELECT text FROM rating_candidates WHERE item_id=? AND source='served'",
                                        (item.item_id,))[0]["text"]
            scores = [served_score if text == served else 2 for text in item.replies]
            reasons = [[] if s > 2 else ["didnt_understand"] for s in scores]
            store.submit(rater, item.item_id, scores=scores, reasons=reasons)
    report = rlcs("eval", "replies", "--db", db, "--session", "t1", "--report", "--output", str(tmp_path / "r.json"))
    assert report.returncode == 0, report.stderr
    result = json.loads((tmp_path / "r.json").read_text())
    assert result["served"] == {"messages": 3, "mean": 4.5, "rated_4_or_5": 1.0, "different_question": 0.0}
    assert result["alternative"]["different_question"] == 1.0
    assert result["served_minus_alternative"] == [2.5, 2.5, 2.5]  # paired over the same messages: 4.5 - 2 on each
    assert result["raters"] == ["rater-a", "rater-b"] and result["krippendorff_alpha_ordinal"] > 0.5
    assert result["out_of_scope"]["messages"] == 1


def test_versus_session_rates_two_policies_only_where_their_replies_differ(tmp_path):
    messages = tmp_path / "messages.jsonl"
    rows = [{"id": f"m{n}", "message": text, "topic": "x"} for n, text in enumerate(
        ["where is my order, it was meant to come monday", "I want to return a jacket that doesn't fit",
         "can I pay with paypal", "do you sell gift cards"])]
    messages.write_text("\n".join(json.dumps(r) for r in rows))
    db = str(tmp_path / "rating.sqlite3")
    made = rlcs("eval", "replies", "--messages", str(messages), "--db", db, "--session", "ab", "--versus", "uniform",
                "--scratch-db", str(tmp_path / "scratch.sqlite3"))
    assert made.returncode == 0, made.stderr
    store = RatingStore(db)
    pairs = store.replay.query("SELECT i.external_id, c.source, c.text FROM rating_items i JOIN rating_candidates c "
                               "ON c.item_id = i.item_id WHERE i.session_id = 'ab' ORDER BY i.external_id, c.source")
    by_item: dict = {}
    for row in pairs:
        by_item.setdefault(row["external_id"], {})[row["source"]] = row["text"]
    assert by_item and all(set(p) == {"served", "versus"} and p["served"] != p["versus"] for p in by_item.values())
    for rater in ("rater-a", "rater-b"):  # raters prefer the default's reply by 2 points
        while (item := store.next_item("ab", rater)) is not None:
            served = by_item[store.replay.query("SELECT external_id FROM rating_items WHERE item_id=?",
                                                (item.item_id,))[0]["external_id"]]["served"]
            scores = [5 if text == served else 3 for text in item.replies]
            store.submit(rater, item.item_id, scores=scores, reasons=[[], []])
    report = rlcs("eval", "replies", "--db", db, "--session", "ab", "--report", "--output", str(tmp_path / "r.json"))
    assert report.returncode == 0, report.stderr
    result = json.loads((tmp_path / "r.json").read_text())
    assert result["served_minus_versus"][0] == 2.0 and result["versus"]["mean"] == 3.0 and "out_of_scope" not in result


@needs.bitext_intent_model
def test_clarify_session_pairs_the_named_guess_with_the_generic_question(tmp_path):
    messages = tmp_path / "messages.jsonl"
    rows = [{"id": "g1", "message": "its broke and late"},   # short and unsure: a named guess
            {"id": "g2", "message": "I want to return a jacket that doesn't fit"}]     # clear: answered, not rated
    messages.write_text("\n".join(json.dumps(r) for r in rows))
    db = str(tmp_path / "rating.sqlite3")
    made = rlcs("eval", "replies", "--messages", str(messages), "--db", db, "--session", "c1", "--clarify-versus-generic",
                "--scratch-db", str(tmp_path / "scratch.sqlite3"))
    assert made.returncode == 0, made.stderr
    assert set(json.loads((tmp_path / "rating.c1.key.json").read_text())) == {"g1"}
    from bot.dialogue.clarify import CLARIFY_TEXT, GUESS_START

    texts = {r["source"]: r["text"] for r in RatingStore(db).replay.query("SELECT source, text FROM rating_candidates")}
    assert texts["generic"] == CLARIFY_TEXT and texts["served"].startswith(GUESS_START)


def test_two_versions_of_the_bot_are_rated_only_where_their_replies_differ(tmp_path):
    """--dump-replies writes what this version serves; --versus-replies rates it against another version's dump.
    Each message is sampled with a seed of its id, so the same version dumps the same replies twice."""
    messages = tmp_path / "messages.jsonl"
    rows = [{"id": f"m{n}", "message": text} for n, text in enumerate(
        ["where is my order, it was meant to come monday", "I want to return a jacket that doesn't fit",
         "do you ship to canada", "my parcel was due yesterday and still hasn't come"])]
    messages.write_text("\n".join(json.dumps(r) for r in rows))
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    for out in (first, second):
        dumped = rlcs("eval", "replies", "--messages", str(messages), "--dump-replies", str(out))
        assert dumped.returncode == 0, dumped.stderr
    assert first.read_text() == second.read_text()
    other = [json.loads(line) for line in first.read_text().splitlines()]
    other[1]["reply"] = "A reply the other version gave."
    other[3]["reply"] = "Another one."
    second.write_text("\n".join(json.dumps(r) for r in other))
    db = str(tmp_path / "rating.sqlite3")
    made = rlcs("eval", "replies", "--messages", str(messages), "--db", db, "--session", "ab",
                "--versus-replies", str(second))
    assert made.returncode == 0, made.stderr
    assert set(json.loads((tmp_path / "rating.ab.key.json").read_text())) == {"m1", "m3"}
    texts = RatingStore(db).replay.query("SELECT text FROM rating_candidates WHERE source='versus' ORDER BY text")
    assert [t["text"] for t in texts] == ["A reply the other version gave.", "Another one."]
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "m1"}\n')
    refused = rlcs("eval", "replies", "--messages", str(messages), "--db", db, "--session", "ab2",
                   "--versus-replies", str(broken))
    assert refused.returncode != 0 and "broken.jsonl:1" in refused.stderr
