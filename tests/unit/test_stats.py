"""Cohen's kappa against hand-computed values, and `stats` over a real store."""
from __future__ import annotations

from fractions import Fraction

import pytest

from newsreader.core.agreement import Confusion, cohen_kappa, store_stats
from newsreader.core.models import Article, Sentence, Suggestion
from newsreader.core.store import Store

F, Q, O = "fact", "quote", "opinion"


def test_kappa_textbook_two_by_two():
    # 50 items: both "fact" 20, A fact/B opinion 5, A opinion/B fact 10, both opinion 15.
    # p_o = 35/50 = 0.7; A fact 25/50, B fact 30/50; p_e = .5*.6 + .5*.4 = 0.5; kappa = 0.4
    pairs = [(F, F)] * 20 + [(F, O)] * 5 + [(O, F)] * 10 + [(O, O)] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4, abs=1e-12)


def test_kappa_three_labels():
    # A: f q o f, B: f q o o -> p_o = 3/4; A f2 q1 o1, B f1 q1 o2;
    # p_e = (2*1 + 1*1 + 1*2) / 16 = 5/16; kappa = (3/4 - 5/16) / (11/16) = 7/11
    pairs = [(F, F), (Q, Q), (O, O), (F, O)]
    assert cohen_kappa(pairs) == pytest.approx(float(Fraction(7, 11)), abs=1e-12)


def test_kappa_perfect_and_opposite():
    assert cohen_kappa([(F, F), (Q, Q), (O, O)]) == pytest.approx(1.0)
    # p_o = 0, p_e = 1/2 -> -1
    assert cohen_kappa([(F, O), (O, F)]) == pytest.approx(-1.0)


def test_kappa_chance_level_is_zero():
    # A always fact; B half fact half quote: p_o = 1/2, p_e = 1 * 1/2 -> 0
    assert cohen_kappa([(F, F), (F, Q)]) == pytest.approx(0.0)


def test_kappa_undefined():
    assert cohen_kappa([]) is None
    assert cohen_kappa([(F, F), (F, F)]) is None  # p_e = 1


def test_confusion_pools_counts():
    a, b = Confusion(), Confusion()
    for p in [(F, F), (Q, Q)]:
        a.add(*p)
    for p in [(O, O), (F, O)]:
        b.add(*p)
    a.update(b)
    assert a.n == 4 and a.kappa == pytest.approx(7 / 11)


def sents(text: str) -> list[Sentence]:
    out, pos = [], 0
    for part in text.split(" "):
        out.append(Sentence(len(out), pos, pos + len(part), part, 0, Suggestion(F, 1, "")))
        pos += len(part) + 1
    return out


def make_store(path) -> Store:
    store = Store.open(path)
    t1, t2 = "s0. s1. s2. s3.", "u0. u1. u2. u3. u4."
    a1 = Article(id="a" * 16, text=t1, title="First\x1b[31m red")
    a2 = Article(id="b" * 16, text=t2, title="Second")
    a3 = Article(id="c" * 16, text="Untouched.", title="Third")
    store.add_article(a1, 4)
    store.add_article(a2, 5)
    store.add_article(a3, 1)
    s1, s2 = sents(t1), sents(t2)
    for who, labels in (("alice", [F, Q, O, F]), ("bob", [F, Q, O, O])):
        for s, lab in zip(s1, labels):
            store.tag(a1.id, s, lab, who)
    # article 2: alice and bob share u0-u3, carol shares u0-u1 with alice
    for who, labels in (("alice", [F, F, O, O, Q]), ("bob", [F, O, F, O]), ("carol", [F, F])):
        for s, lab in zip(s2, labels):
            store.tag(a2.id, s, lab, who)
    # an orphan for carol: re-segment article 2 so u1 is merged into u0
    merged = [Sentence(0, 0, 7, "u0. u1.", 0, Suggestion(F, 1, ""))] + [
        Sentence(i - 1, s.start, s.end, s.text, 0, s.suggestion) for i, s in enumerate(s2)
        if i >= 2]
    store.reanchor(a2.id, merged)
    return store


def test_store_stats(tmp_path):
    with make_store(tmp_path / "newsreader.db") as store:
        s = store_stats(store)
    # live: article 1 alice 4 + bob 4; article 2 alice 3 + bob 2 (u0, u1 orphaned for all)
    assert s["totals"] == {"articles": 3, "annotators": 3, "labels": 13, "orphaned": 6}
    assert s["annotators"]["carol"] == {F: 0, Q: 0, O: 0, "tagged": 0, "articles": 0,
                                        "orphaned": 2}
    assert s["annotators"]["alice"] == {F: 2, Q: 2, O: 3, "tagged": 7, "articles": 2,
                                        "orphaned": 2}
    arts = {a["id"]: a for a in s["articles"]}
    first = arts["a" * 16]["annotators"]
    assert first["alice"] == {F: 2, Q: 1, O: 1, "tagged": 4, "total": 4, "progress": 1.0}
    assert first["bob"] == {F: 1, Q: 1, O: 2, "tagged": 4, "total": 4, "progress": 1.0}
    second = arts["b" * 16]["annotators"]
    # after the merge alice keeps u2,u3,u4 (now 1,2,3), bob u2,u3, carol nothing live
    assert second["alice"]["tagged"] == 3 and second["alice"]["progress"] == 0.75
    assert second["bob"] == {F: 1, Q: 0, O: 1, "tagged": 2, "total": 4, "progress": 0.5}
    assert "carol" not in second
    assert arts["c" * 16]["annotators"] == {}
    pairs = {tuple(p["annotators"]): p for p in s["agreement"]}
    assert set(pairs) == {("alice", "bob")}
    ab = pairs[("alice", "bob")]
    per = {r["article_id"]: r for r in ab["articles"]}
    assert per["a" * 16]["shared"] == 4 and per["a" * 16]["kappa"] == round(7 / 11, 4)
    # article 2 shared after merge: u2 (O vs F), u3 (O vs O): p_o 1/2, A: O2, B: F1 O1,
    # p_e = (2*1)/4 = 1/2 -> kappa 0
    assert per["b" * 16]["shared"] == 2 and per["b" * 16]["kappa"] == 0.0
    # overall pools 6 sentences: A f q o f o o, B f q o o f o -> agree 4/6
    # A: f2 q1 o3, B: f2 q1 o3 -> p_e = (4 + 1 + 9)/36 = 14/36; kappa = (24/36-14/36)/(22/36)
    assert ab["shared"] == 6 and ab["kappa"] == round(10 / 22, 4)
    orphans = [(o["annotator"], o["sentence"]) for o in s["orphaned"]]
    assert sorted(orphans) == [("alice", "u0."), ("alice", "u1."), ("bob", "u0."),
                               ("bob", "u1."), ("carol", "u0."), ("carol", "u1.")]


def test_store_stats_empty(tmp_path):
    with Store.open(tmp_path / "newsreader.db") as store:
        s = store_stats(store)
    assert s["totals"] == {"articles": 0, "annotators": 0, "labels": 0, "orphaned": 0}
    assert s["agreement"] == [] and s["orphaned"] == []
