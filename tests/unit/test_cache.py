"""The analysis cache on real files."""
from __future__ import annotations

import gzip
import os
import threading

from newsreader.core.cache import AnalysisCache
from newsreader.core.models import (Analysis, Claim, Cluster, Entity, Mention, Quote, Sentence,
                                    Suggestion)

V = "test-1"


def sample(article_id="abcdef0123456789", model="en_core_web_sm", version=V) -> Analysis:
    wang = Mention(30, 34, "Wang", "Wang Yi", 0)
    return Analysis(
        article_id=article_id, analyzer_version=version, model=model,
        sentences=(Sentence(0, 0, 20, "Prices rose in May.", 0, Suggestion("fact", 0.7, "number")),
                   Sentence(1, 22, 40, "\"Fine,\" Wang said.", 1,
                            Suggestion("quote", 0.9, "quote marks"))),
        entities=(Entity(30, 34, "Wang", "PERSON", 0), Entity(15, 18, "May", "DATE", None)),
        clusters=(Cluster(0, "Wang Yi", "PERSON", ((30, 34),)),),
        quotes=(Quote(22, 29, "\"Fine,\"", (1,), wang, "said", (35, 39)),
                Quote(0, 5, "\"x\"", (0,), None, None, None)),
        claims=(Claim(0, 0, 19, "Prices rose in May", Mention(0, 4, "SANA", "SANA"),
                      "according to", None),),
    )


def test_roundtrip_is_equal(tmp_path):
    cache = AnalysisCache(tmp_path / "analysis", analyzer_version=V)
    a = sample()
    assert cache.get(a.article_id, a.model) is None
    assert cache.put(a) is True
    assert cache.get(a.article_id, a.model) == a
    assert AnalysisCache(tmp_path / "analysis", analyzer_version=V).get(a.article_id,
                                                                        a.model) == a


def test_key_includes_version_and_model(tmp_path):
    d = tmp_path / "analysis"
    a = sample()
    AnalysisCache(d, analyzer_version=V).put(a)
    assert AnalysisCache(d, analyzer_version="test-2").get(a.article_id, a.model) is None
    assert AnalysisCache(d, analyzer_version=V).get(a.article_id, "other_model") is None
    assert AnalysisCache(d, analyzer_version=V).get("0000000000000000", a.model) is None
    b = sample(model="/models/my pipeline")  # a path as a model name is fine
    AnalysisCache(d, analyzer_version=V).put(b)
    assert AnalysisCache(d, analyzer_version=V).get(b.article_id, b.model) == b


def test_corrupt_entries_are_misses(tmp_path):
    cache = AnalysisCache(tmp_path, analyzer_version=V)
    a = sample()
    cache.put(a)
    path = cache.path_for(a.article_id, a.model)
    good = path.read_bytes()
    for bad in (b"", b"garbage", good[: len(good) // 2], gzip.compress(b"{not json"),
                gzip.compress(b'{"article_id": "x"}'), gzip.compress(b"[1, 2]")):
        path.write_bytes(bad)
        assert cache.get(a.article_id, a.model) is None
    path.write_bytes(good)
    assert cache.get(a.article_id, a.model) == a


def test_entry_for_another_key_inside_file_is_a_miss(tmp_path):
    cache = AnalysisCache(tmp_path, analyzer_version=V)
    a, other = sample(), sample(article_id="ffffffffffffffff")
    cache.put(other)
    os.replace(cache.path_for(other.article_id, other.model), cache.path_for(a.article_id, a.model))
    assert cache.get(a.article_id, a.model) is None


def test_writes_are_atomic_and_leave_no_temp_files(tmp_path):
    cache = AnalysisCache(tmp_path, analyzer_version=V)
    a = sample()
    errors: list[str] = []

    def reader():
        for _ in range(200):
            got = cache.get(a.article_id, a.model)
            if got is not None and got != a:
                errors.append("partial")

    t = threading.Thread(target=reader)
    t.start()
    for _ in range(100):
        cache.put(a)
    t.join()
    assert errors == []
    assert [p.name for p in tmp_path.iterdir()] == [cache.path_for(a.article_id, a.model).name]


def test_unwritable_directory_is_skipped(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = AnalysisCache(blocker / "analysis", analyzer_version=V)
    assert cache.put(sample()) is False
    assert cache.get("abcdef0123456789", "en_core_web_sm") is None


def test_unsafe_ids_stay_inside_the_directory(tmp_path):
    cache = AnalysisCache(tmp_path / "c", analyzer_version=V)
    a = sample(article_id="../../etc/passwd")
    cache.put(a)
    assert cache.path_for(a.article_id, a.model).parent == tmp_path / "c"
    assert cache.get(a.article_id, a.model) == a


def test_clear(tmp_path):
    cache = AnalysisCache(tmp_path, analyzer_version=V)
    cache.put(sample())
    cache.put(sample(model="m2"))
    assert cache.clear() == 2
    assert cache.get("abcdef0123456789", "en_core_web_sm") is None
