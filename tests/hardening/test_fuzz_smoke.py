"""CI runs a short, fixed-seed version of benchmarks/fuzz.py (the long run is by hand)."""
from __future__ import annotations

import subprocess
import sys

import pytest
from hardening_helpers import ROOT, offset_problems


@pytest.mark.slow
def test_short_fuzz_run_finds_nothing(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fuzz.py"), "--seconds", "15",
                          "--seed", "20251122", "--save-dir", str(tmp_path / "failures")],
                         capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    assert "fuzz: seed 20251122," in out.stdout and ", 0 failed" in out.stdout
    assert "analysed" in out.stdout and "refused:" in out.stdout
    assert not (tmp_path / "failures").exists()


def test_replaying_one_case_is_deterministic(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import fuzz

    seeds = fuzz.seed_texts()
    a = [fuzz.make_case(7, i, seeds) for i in range(40)]
    b = [fuzz.make_case(7, i, seeds) for i in range(40)]
    assert a == b and len({c.data for c in a}) > 30
    assert {c.kind for c in a} >= {"soup", "mutated-text", "mutated-bytes"}


def test_the_offset_checker_catches_broken_offsets():
    """The checker the fuzzer and the property tests rely on can fail."""
    good = {"text": "One two.\n\nThree.", "clusters": [], "entities": [], "quotes": [],
            "claims": [],
            "sentences": [{"index": 0, "start": 0, "end": 8, "text": "One two.", "paragraph": 0},
                          {"index": 1, "start": 10, "end": 16, "text": "Three.", "paragraph": 1}]}
    assert offset_problems(good) == []
    shifted = dict(good, sentences=[dict(good["sentences"][0], start=1, end=9)] + good["sentences"][1:])
    crossing = dict(good, sentences=[{"index": 0, "start": 0, "end": 16, "text": good["text"],
                                      "paragraph": 0}])
    overlap = dict(good, sentences=[good["sentences"][0],
                                    {"index": 1, "start": 4, "end": 16, "text": good["text"][4:],
                                     "paragraph": 0}])
    wrong_para = dict(good, sentences=[good["sentences"][0], dict(good["sentences"][1], paragraph=0)])
    bad_entity = dict(good, entities=[{"start": 0, "end": 3, "text": "Two", "label": "X",
                                       "cluster": None}])
    for broken in (shifted, crossing, overlap, wrong_para, bad_entity):
        assert offset_problems(broken), broken
