"""Re-anchoring labels when a newer analyzer segments the article differently."""
from __future__ import annotations

import pytest

from newsreader.core.models import Article, Sentence, Suggestion
from newsreader.core.store import Change, Store

S = Suggestion("fact", 0.5, "test")
TEXT = "Alpha one. Beta two.\n\nGamma three. Delta  four. Alpha one."


def sent(i: int, start: int, end: int, text: str = TEXT) -> Sentence:
    return Sentence(i, start, end, text[start:end], 0, S)


def spans(*parts: str, text: str = TEXT) -> list[Sentence]:
    """Sentences for the given substrings, in order, found left to right."""
    out, pos = [], 0
    for p in parts:
        k = text.index(p, pos)
        out.append(sent(len(out), k, k + len(p), text))
        pos = k + len(p)
    return out


OLD = spans("Alpha one.", "Beta two.", "Gamma three.", "Delta  four.", "Alpha one.")
ART = Article(id="0123456789abcdef", text=TEXT, title="Anchors")


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "newsreader.db") as s:
        s.add_article(ART, len(OLD))
        yield s


def labels(store, who="ann"):
    return {i: (a.label, a.text, a.start) for i, a in store.annotations(ART.id, who).items()}


def test_same_segmentation_changes_nothing(store):
    store.tag(ART.id, OLD[1], "fact", "ann")
    before = labels(store)
    rep = store.reanchor(ART.id, OLD)
    assert (rep.unchanged, rep.moved, rep.n_orphaned) == (1, 0, 0)
    assert labels(store) == before
    assert [e["kind"] for e in store.history(ART.id)] == ["tag"]  # nothing logged


def test_merge_then_exact_match_moves_index(store):
    for i, lab in ((1, "fact"), (2, "quote"), (4, "opinion")):
        store.tag(ART.id, OLD[i], lab, "ann")
    # the new analyzer joins the first two sentences
    new = spans("Alpha one. Beta two.", "Gamma three.", "Delta  four.", "Alpha one.")
    rep = store.reanchor(ART.id, new)
    assert rep.unchanged == 0 and rep.moved == 2
    assert [(o.sentence_index, o.text, o.label) for o in rep.orphaned] == [(1, "Beta two.", "fact")]
    assert labels(store) == {1: ("quote", "Gamma three.", 22), 3: ("opinion", "Alpha one.", 48)}
    assert [o.text for o in store.orphans(ART.id)] == ["Beta two."]
    assert store.list_articles()[0].n_sentences == 4


def test_duplicate_text_goes_to_nearest_offset(store):
    store.tag(ART.id, OLD[0], "fact", "ann")     # first "Alpha one." at 0
    store.tag(ART.id, OLD[4], "opinion", "ann")  # second at 48
    new = spans("Alpha one.", "Beta two.", "Gamma three. Delta  four.", "Alpha one.")
    store.reanchor(ART.id, new)
    assert labels(store) == {0: ("fact", "Alpha one.", 0), 3: ("opinion", "Alpha one.", 48)}


def test_whitespace_normalised_match(store):
    store.tag(ART.id, OLD[3], "quote", "ann")  # "Delta  four." (two spaces)
    # an analyzer that reports the sentence with collapsed whitespace
    new = list(OLD[:3]) + [Sentence(3, 35, 47, "Delta four.", 1, S)] + [OLD[4]]
    rep = store.reanchor(ART.id, new)
    assert rep.n_orphaned == 0 and rep.moved == 1
    assert labels(store)[3] == ("quote", "Delta four.", 35)


def test_orphans_reattach_later_and_never_block(store):
    store.tag(ART.id, OLD[1], "fact", "ann")
    merged = spans("Alpha one. Beta two.", "Gamma three.", "Delta  four.", "Alpha one.")
    store.reanchor(ART.id, merged)
    # a new label on index 1 of the new segmentation coexists with the orphan
    store.tag(ART.id, merged[1], "opinion", "ann")
    assert labels(store) == {1: ("opinion", "Gamma three.", 22)}
    assert len(store.orphans()) == 1
    # the old segmentation comes back: the orphan re-attaches to index 1 and the
    # newer label on "Gamma three." moves to index 2 with it
    rep = store.reanchor(ART.id, OLD)
    assert rep.n_orphaned == 0
    assert labels(store) == {1: ("fact", "Beta two.", 11), 2: ("opinion", "Gamma three.", 22)}


def test_swapped_indexes_do_not_collide(store):
    a = spans("Alpha one.", "Beta two.", text=TEXT)
    store.tag(ART.id, a[0], "fact", "ann")
    store.tag(ART.id, a[1], "opinion", "ann")
    swapped = [Sentence(0, a[1].start, a[1].end, a[1].text, 0, S),
               Sentence(1, a[0].start, a[0].end, a[0].text, 0, S)]
    rep = store.reanchor(ART.id, swapped)
    assert rep.moved == 2
    assert labels(store) == {0: ("opinion", "Beta two.", 11), 1: ("fact", "Alpha one.", 0)}


def test_each_annotator_anchored_separately(store):
    store.tag(ART.id, OLD[2], "fact", "alice")
    store.tag(ART.id, OLD[2], "quote", "bob")
    new = spans("Alpha one. Beta two.", "Gamma three.", "Delta  four.", "Alpha one.")
    store.reanchor(ART.id, new)
    assert labels(store, "alice") == {1: ("fact", "Gamma three.", 22)}
    assert labels(store, "bob") == {1: ("quote", "Gamma three.", 22)}


def test_reanchor_is_an_undo_barrier(store):
    store.tag(ART.id, OLD[2], "fact", "ann")
    new = spans("Alpha one. Beta two.", "Gamma three.", "Delta  four.", "Alpha one.")
    store.reanchor(ART.id, new)
    assert store.undo(ART.id, "ann") is None
    store.tag(ART.id, new[2], "opinion", "ann")
    assert store.undo(ART.id, "ann") == Change(2, None)
    assert labels(store) == {1: ("fact", "Gamma three.", 22)}


def test_cleared_rows_do_not_survive_or_block(store):
    store.tag(ART.id, OLD[1], "fact", "ann")
    store.clear(ART.id, 1, "ann")
    rep = store.reanchor(ART.id, spans("Alpha one. Beta two.", "Gamma three.",
                                       "Delta  four.", "Alpha one."))
    assert rep.n_orphaned == 0 and store.orphans() == []


def test_reanchor_with_lingering_orphan_keeps_undo_of_a_clear(store):
    # an orphan exists, so a reader re-anchors every time it opens the article
    store.tag(ART.id, OLD[1], "fact", "ann")
    merged = spans("Alpha one. Beta two.", "Gamma three.", "Delta  four.", "Alpha one.")
    store.reanchor(ART.id, merged)
    store.tag(ART.id, merged[2], "quote", "ann")
    store.clear(ART.id, 2, "ann")
    rep = store.reanchor(ART.id, merged)  # nothing moves
    assert (rep.unchanged, rep.moved, rep.n_orphaned) == (0, 0, 1)
    assert [e["kind"] for e in store.history(ART.id, "ann")][-1] == "clear"  # no barrier
    assert store.undo(ART.id, "ann") == Change(2, "quote")
    assert store.undo(ART.id, "ann") == Change(2, None)
    assert store.redo(ART.id, "ann") == Change(2, "quote")


def test_cleared_row_moves_with_its_sentence(store):
    store.tag(ART.id, OLD[2], "quote", "ann")
    store.clear(ART.id, 2, "ann")
    merged = spans("Alpha one. Beta two.", "Gamma three.", "Delta  four.", "Alpha one.")
    rep = store.reanchor(ART.id, merged)
    assert (rep.unchanged, rep.moved, rep.n_orphaned) == (0, 0, 0)
    assert store.annotations(ART.id, "ann") == {}
    assert store.undo(ART.id, "ann") is None  # the indexes moved: a barrier
