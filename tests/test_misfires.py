"""The misfire hunts (`rlcs bench misfires`, tests/data/misfire_hunts.jsonl): helpers' own first messages, each with
the answer its reply must get (or must not get). A floor under today's figures, so a rule that starts misfiring on
ordinary messages, or stops firing, fails here rather than in the next blind rating."""
from __future__ import annotations

import json

import pytest

from training.intents.bench_misfires import HUNT_FILE, read_rows, score_rows


@pytest.fixture(scope="module")
def groups(tmp_path_factory):
    # two processes: the suite's longest step (4,676 messages) in about half the time on two cores
    return score_rows(read_rows(HUNT_FILE), {"db_path": str(tmp_path_factory.mktemp("misfires") / "replay.sqlite3"),
                                             "policy": "first"}, workers=2)


@pytest.mark.parametrize("hunt, min_hits, max_false_alarms", [
    ("hunt 4", 60, 4),   # another shop's order, marketplace, our cancellation, spam checked, quality, their device
    ("hunt 5", 28, 2),   # another shop named, food
    ("hunt 6", 18, 2),   # kinds of things we don't sell
    ("hunt 7", 27, 1),   # held out until round 14's rules were final: 70 ordinary messages for us, 30 for others
    ("hunt 8", 40, 1),   # round 15: a paid-for fast delivery that's late, an account taken over, goods we sell or not
    ("hunt 9", 34, 1),   # held out until round 15's rules were final: 80 ordinary messages for us, 40 for its rules
    ("hunt 10", 56, 1),  # round 16: gift receipts, charges for nothing bought, goods we don't sell, store visits
    ("hunt 11", 50, 1),  # held out until round 16's rules for hunt 10's situations were final
    ("hunt 12", 60, 1),  # round 16: returns never collected, gift cards drained, phishing, store payments, how to return
    ("hunt 13", 74, 1),  # round 17: stock alerts, competitions, store vs website prices, parcels sent back, safety worries,
    #                      business requests, orders split over parcels, stuck tracking (bot/dialogue/shop_matters.py)
    ("hunt 14", 74, 1),  # the same situations by another writer, held out until hunt 13's first rules: 60 of 80 then
    ("hunt 15", 72, 1),  # a third writer, held out until the rules mended on hunts 13 and 14: 64 of 80 then
    ("hunt 16", 57, 1),  # round 17's second batch: store hours, jobs, sale dates, gift wrap, points, what fits what
    ("hunt 17", 57, 1),  # the same situations by another writer, held out until hunt 16's rules: 41 of 60 then
    ("hunt 18", 67, 1),  # round 18: another company's late parcel, refund, charge, order change, fault, price, stock,
    #                      app or rant, read as theirs (not_ours.py; the tips of elsewhere.py are tests/test_elsewhere.py)
    ("hunt 19", 65, 1),  # the same by another writer, held out until hunt 18's rules: 60 of 80 then
    ("hunt 20", 64, 1),  # a third writer, held out until the rules mended on hunts 18 and 19: 45 of 80 then
    ("hunt 21", 51, 2),  # round 18: how to send it back, is this a scam, it came smashed, parcels missing (held out
    #                      until named_outright.py was written: 49 of 60 then; its one false alarm is base's too)
    ("hunt 22", 58, 1),  # round 19: 60 messages in 19 other languages, 40 English ones with foreign names, greetings or
    #                      colours (held out until languages.py's new words were written: 59 of 60 and 0 then, base 38)
    ("hunt 23", 70, 1),  # round 19: hunt 18's situations by a fourth writer, held out until another company named alone
    #                      was read as theirs (not_ours._NAME_ALONE): 70 of 80 and 1 then, round 18's rules 64 and 1
    ("hunt 24", 54, 2),  # round 20: a delivery date moved, things that keep arriving broken, matters not a shop's
    #                      (the rules were written after seeing its misses: 36 of 60 and 2 before, 56 and 2 after)
    ("hunt 25", 55, 1),  # the same by another writer, held out until hunt 24's rules: 49 of 60 and 1 then (base 39)
    ("hunt 26", 55, 1),  # round 21: an extra paid for and not done, what a return costs, a store's facilities (base 11;
    #                      the rules' first version, written before hunts 26-27 were seen: 31 of 60 on each)
    ("hunt 27", 53, 1),  # the same by another writer (base 9), then mended on with hunt 26
    ("hunt 28", 47, 1),  # a third writer, held out until the rules mended on hunts 26 and 27: 48 of 60 and 0 then (base
    #                      9); 49 now (a store's facilities answered only when asked, ab2-r21; "the Yorkdale location")
    ("hunt 29", 44, 1),  # round 22: a store visit gone wrong, money at a store's till, an order to collect that wasn't
    #                      there (base 19 of 60; mended on: 46)
    ("hunt 30", 50, 1),  # the same by another writer, held out until hunt 29's rules: 41 of 60 and 0 then (base 21)
    ("hunt 31", 30, 1),  # chasing an unanswered DM, email or call, with or without the matter named (of 40; base 18,
    #                      first run of rules written before it was seen 25, mended on: 32)
    ("hunt 32", 50, 1),  # round 23: a chase that names its matter, answered with an apology for the wait (base 41
    #                      of 60; the rules' first version 44, mended on: 53)
    ("hunt 33", 47, 1),  # the same by another writer, held out until hunt 32's rules: 46 of 60 and 0 then (base 39)
    ("hunt 34", 24, 1),  # round 23: needing it by a date, today, or an order sped up (of 30; base 13, the rules' first
    #                      version 23, mended on: 26; its 30 messages about a store's till rules are not in the file)
    ("hunt 35", 50, 1),  # the same by another writer, held out until hunt 34's rules: 44 of 60 and 1 then (base 17);
    #                      mended on: 54 and 0, after real_dev showed deliveries due today read as asking for same-day
    ("hunt 36", 52, 1),  # round 24: not ours by the thing or service alone (a console, a pharmacy, fuel), another
    #                      company's contest, a job after applying (base 25 of 60; mended on: 54)
    ("hunt 37", 47, 1),  # the same by another writer, held out until hunt 36's rules: 41 of 60 and 0 then (base 22)
    ("hunt 38", 51, 1),  # round 24: another kind of company's service, unnamed (a phone plan, a flight, an energy bill,
    #                      bot/dialogue/other_services.py): base 7 of 60, mended on: 53
    ("hunt 39", 51, 1),  # the same by another writer, held out until hunt 38's rules: 37 of 60 and 0 then (base 7)
    ("hunt 40", 57, 1),  # round 25: money or a carrier of another country, a shop abroad's (bot/dialogue/abroad.py):
    #                      base 5 of 60 and 1, the rules' first version 44 and 6, mended on: 59 and 1
    ("hunt 41", 58, 2),  # the same by another writer, held out until hunt 40's first rules: 41 of 60 and 4 then (base 1
    #                      and 1); mended on: 60 and 2
    ("hunt 42", 46, 1),  # round 25: a place abroad alone (a town, a county, a country), by a third writer, held out
    #                      until the place rules' first version: 33 of 60 and 1 then (base 2 and 1); mended on: 48 and 1
    #                      (the rest are towns left out as American names too: Dublin, Bristol, Reading, Vienna)
    ("hunt 43", 57, 1),  # round 26: a carrier chosen or dropped (bot/dialogue/carriers.py): base 0 of 60, mended on: 59
    ("hunt 44", 54, 1),  # round 26: a DM, email or form sent elsewhere (other_channels.py): base 0, mended on: 56
    ("hunt 45", 53, 1),  # round 26: how our support staff treated them (staff_complaint.py): base 0, mended on: 55
    ("hunt 47", 57, 1),  # hunt 43's situations by another writer, held out until its first rules: 47 of 60 and 1
    #                      then (base 0 and 0); mended on: 59 and 0
    ("hunt 48", 52, 1),  # hunt 44's by another writer, held out likewise: 38 and 0 then; mended on: 54 and 0
    ("hunt 49", 49, 1),  # hunt 45's by another writer, held out likewise: 38 and 0 then; mended on: 51 and 0
])
def test_the_reading_rules_hold_on_the_hunts(groups, hunt, min_hits, max_false_alarms):
    group = groups[hunt]
    assert group["hits"] >= min_hits and group["false_alarms"] <= max_false_alarms, group


def test_a_hunt_line_needs_a_message_and_one_expectation(tmp_path):
    path = tmp_path / "hunt.jsonl"
    path.write_text(json.dumps({"id": "x", "message": "hi", "expect": ["a"], "never": ["b"]}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="hunt.jsonl:1: expected a message and one of 'expect' or 'never'"):
        read_rows(path)


def test_a_named_list_stands_for_its_templates_and_an_unknown_name_is_refused(tmp_path):
    path = tmp_path / "hunt.jsonl"
    path.with_suffix(".lists.json").write_text(json.dumps({"not-ours": ["a", "b"]}), encoding="utf-8")
    path.write_text(json.dumps({"id": "x", "message": "hi", "expect": ["@not-ours", "c"]}) + "\n", encoding="utf-8")
    assert read_rows(path)[0]["expect"] == ["a", "b", "c"]
    path.write_text(json.dumps({"id": "y", "message": "hi", "never": ["@nope"]}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="hunt.jsonl:1: no list named 'nope' in hunt.lists.json"):
        read_rows(path)


def test_rows_read_in_two_processes_add_up_to_the_rows_read_in_one(tmp_path):
    """`rlcs bench misfires --workers 2` (and the hunts' fixture above): each process reads every other row with its
    own bot; their hits, false alarms and misreads together are one process's."""
    rows = [r for r in read_rows(HUNT_FILE) if r.get("hunt") in (4, 43)]
    rows = rows[:4] + [r for r in rows if "never" in r][:3] + rows[-4:]
    config = {"db_path": str(tmp_path / "replay.sqlite3"), "policy": "first"}
    one, two = score_rows(rows, config), score_rows(rows, {**config, "db_path": str(tmp_path / "b.sqlite3")}, workers=2)
    assert one.keys() == two.keys() and {"hunt 4", "hunt 43"} <= set(one)
    for name, group in one.items():
        assert {k: v for k, v in group.items() if k != "wrong"} == {k: v for k, v in two[name].items() if k != "wrong"}
        assert sorted(w["id"] for w in group["wrong"]) == sorted(w["id"] for w in two[name]["wrong"])
    assert sum(g["expected"] + g["near_misses"] for n, g in one.items() if n.count("/") == 0) == len(rows)
