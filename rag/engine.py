"""The question-answering pipeline behind the CLI, the chat page and the evaluation.

What it does: `Engine(settings)` makes sure the index is there and current (building or
updating it when missing or stale), opens it once, and answers `ask(question, history)`:
validate -> resolve follow-up -> embed the query -> hybrid retrieve -> score sentences ->
compose a cited answer or a refusal. Everything slow (model, store) loads once per Engine.

What it deliberately doesn't: print, exit or format for humans (rag/ask.py and app.py do).
"""

from __future__ import annotations

import logging
import time
import unicodedata
from dataclasses import replace
from functools import lru_cache

from . import answer as answerer
from . import definitions, language, options, signals
from .config import Settings
from .embed import Embedder, MiniLMEmbedder, cosines, default_embedder, ensure_fast_embedder
from .errors import BadInput, IndexBusy, RagError, StoreError
from .followup import needs_context, needs_referent, opens_follow_up, referent_of, resolve, restated, title_subjects
from .generation import not_writable, unwritable
from .index import build_index, current_generation, recorded_warnings, reset, status
from .question import Question, correct, parse, split_pasted, unshouted, wh_corrected
from .retrieve import DEFINING_DOCS, Retriever
from .rivals import mark_rivals
from .text import terms
from .types import REFUSAL, Answer, Passage, page_of

log = logging.getLogger("rag")
MAX_QUESTION_CHARS = 2000
MANUAL_PASSAGES = 3  # passages of each command's own search, for a question naming several commands' options
MIN_PASTED_WORDS = 4  # text before a question worth saying it was read as pasted ("Thanks!" is not)


def clean_question(question) -> str:
    """The question with control characters removed and NFC-normalised; BadInput when nothing
    usable is left (empty, no letter or digit at all, over MAX_QUESTION_CHARS).

    Text that arrived as undecodable bytes (a non-UTF-8 terminal or pipe: Python hands them on
    as lone surrogates, which no tokenizer takes) is read as Windows-1252, the usual source of
    such bytes ("Caf\\xe9" -> "Café"); any other lone surrogate becomes U+FFFD."""
    if not isinstance(question, str):
        raise BadInput("the question must be text")
    question = _without_surrogates(question)
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf") and c not in "\u200d" else c for c in question)
    text = unicodedata.normalize("NFC", " ".join(text.split()))  # "Cafe\u0301" and "Caf\u00e9" are one word
    if not text:
        raise BadInput("the question is empty; type a question about the documents")
    if not has_words(text):
        raise BadInput(f"{text[:40]!r} has no words; type a question about the documents")
    if len(text) > MAX_QUESTION_CHARS:
        raise BadInput(f"the question is {len(text)} characters long; at most {MAX_QUESTION_CHARS} are read")
    return text


def _earlier_question(text) -> str | None:
    """An earlier turn as clean_question reads it, or None when it holds nothing usable (an
    empty or "?!" turn is no reason to refuse the question asked now)."""
    try:
        return clean_question(text)
    except BadInput:
        return None


def has_words(text: str) -> bool:
    """Whether the text holds a letter or a digit (in any script): "?!" and emoji alone don't."""
    return any(unicodedata.category(c)[0] in "LN" for c in text)


def _without_surrogates(text: str) -> str:
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    try:  # bytes 0x80-0xff smuggled through as U+DC80-U+DCFF (Python's surrogateescape)
        return text.encode("utf-8", "surrogateescape").decode("cp1252", "replace")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)


def _is_english_word(word: str) -> bool:
    """True for a word of the embedder's whole-word vocabulary: a word it knows is no typo."""
    return word in language.wordpieces()


class Engine:
    def __init__(
        self, settings: Settings | None = None, embedder: Embedder | None = None, auto_index: bool = True, llm=None
    ):
        self.settings = settings or Settings.from_env()
        self.embedder = embedder or default_embedder()
        if llm is None and self.settings.llm:
            from .llm import load_llm

            llm = load_llm(self.settings.llm)
        self.llm = llm  # None: the extractive answerer alone
        self.auto_index = auto_index
        self.retriever: Retriever | None = None
        self.refresh()
        if isinstance(self.embedder, MiniLMEmbedder):  # torch is loading anyway: export once for next time
            ensure_fast_embedder()

    # Documents for the chat page (rag/collection.py does the work).
    def documents(self) -> list[dict]:
        """Every file of the live index, indexed or skipped: dicts with source, title, chunks,
        indexed_at (ISO 8601 UTC), encoding, pages (None unless counted) and skipped (the
        reason, "" when indexed), sorted by source."""
        from .collection import listing
        from .index import read_manifest

        return listing(read_manifest(self.settings.index))

    def add_documents(self, paths_or_uploads, progress=None):
        """Copy files (paths, or upload objects with `.name`) into the docs folder under
        sanitised names and index them incrementally; returns the IngestReport, whose
        warnings name the files refused (unreadable, binary, empty, wrong suffix).

        `progress(fraction, message)` is called per file and per embedded batch. Raises
        IndexBusy when another ingest holds the index (the files stay, indexed next time),
        DocsError when the docs folder will not take a file (read-only, full: nothing replaced)."""
        from .collection import add

        return add(self, paths_or_uploads, progress)

    def remove_document(self, source: str):
        """Delete one indexed (or skipped) file from the docs folder and update the index;
        returns the IngestReport. BadInput for an unknown source, a path outside the folder,
        or the last indexed document; DocsError when the folder will not let it go (read-only);
        IndexBusy as add_documents."""
        from .collection import remove

        return remove(self, source)

    def update(self, paths, progress=None):
        """Index the changes of the files named (paths added, edited or deleted: absolute, or
        relative to the docs folder), without walking the folder; returns the IngestReport.

        For a caller that knows what it changed (an editor's save hook, a sync job). BadInput
        for a path outside the docs folder (or a folder, a hidden file, an unindexed suffix, a
        name that is neither in the folder nor in the index);
        IndexBusy as add_documents. Changes to files not named wait for the next refresh()."""
        from .collection import update

        return update(self, paths, progress)

    def watch(self, stop=None, on_update=None, ready=None) -> None:
        """Keep the index following the docs folder until `stop` (a threading.Event) is set:
        a file added, edited or deleted there is indexed by itself as the operating system
        reports it, and answers come from the new generation right after (rag/watch.py).

        `on_update(report, sources)` after each update (sources None for a folder rescan);
        `ready` (an Event) is set once the watch is in place and the first rescan ran.
        Blocks: the page runs it in a thread. StoreError when the folder can't be watched."""
        from .collection import folder_lock
        from .watch import follow

        def updated(report, sources) -> None:
            self.reopen()
            if on_update is not None:
                on_update(report, sources)

        follow(self.settings, self.embedder, stop, updated, ready, serialize=folder_lock(self.settings.docs))

    def refresh(self, progress=None):
        """Build or update the index when the documents changed, then (re)open it.

        Returns the IngestReport when something was (re)indexed, else None.
        """
        state = status(self.settings, self.embedder.name)
        report = None
        if state != "fresh" and self.auto_index:
            level = logging.WARNING if state == "damaged" else logging.INFO
            log.log(level, "index %s: indexing %s into %s ...", state, self.settings.docs, self.settings.index)
            try:
                report = build_index(self.settings, self.embedder, progress=progress)
            except IndexBusy:
                if current_generation(self.settings.index) is None:
                    report = build_index(self.settings, self.embedder, wait=True, progress=progress)
                else:
                    log.warning("another ingest is running; answering from the current index")
                    report = None
            except StoreError as exc:
                # A read-only share (an app host reading what one ingest machine writes): answer
                # from what is there, saying it may lag the documents; never fail or wipe it.
                if current_generation(self.settings.index) is None or unwritable(self.settings.index) is None:
                    raise
                try:
                    self.reopen()
                except StoreError:
                    raise exc from None  # (the embedded store cannot be opened read-only either: one message)
                log.warning("%s; answering from the index as it is (it may not hold the latest documents)", exc)
                report = None
            if report:
                if report.replaced:
                    log.warning("%s", report.replaced_note(self.settings.index))
                log.info("%s", report.summary())
                for w in report.warnings:
                    log.warning("skipped or decoded specially: %s", w)
        elif state == "fresh":
            _remind(recorded_warnings(self.settings.index), self.settings)
        self.reopen()
        return report

    def reopen(self) -> None:
        """Answer from the live generation (opened anew when an ingest published another one)."""
        gen = current_generation(self.settings.index)
        if gen is None:
            raise StoreError(
                f"no index in {self.settings.index}; run: python -m rag.ingest --docs {self.settings.docs}"
            )
        if self.retriever is None or self.retriever.generation != gen:
            try:
                self.retriever = Retriever(gen, previous=self.retriever)
            except StoreError as exc:
                if not self.settings.chroma_url and unwritable(self.settings.index) is not None:
                    # A permission problem is never damage: wiping a read-only share would lose
                    # it for every host. Chroma cannot open its database read-only (it writes at
                    # open: chroma-core/chroma#1438), so say what to change and delete nothing.
                    cause = exc.__cause__  # (what the database said, never "damaged": it is not)
                    raise not_writable(self.settings.index, cause and f"{type(cause).__name__}: {cause}") from exc
                if not self.auto_index or self.settings.chroma_url:
                    raise  # a server that is down is not a damaged index: never wipe it
                log.warning("the index is damaged; rebuilding it")
                self._rebuild_damaged(gen)

    def document_text(self, source: str) -> str:
        """The text of an indexed file as ingestion read it (same decoding, same offsets):
        for PDF, DOCX and HTML the extracted text, cached per file version in this process."""
        root = self.settings.docs.resolve()
        path = (root / source).resolve()
        if not path.is_relative_to(root):
            raise BadInput(f"{source!r} is not inside the documents folder")
        stat = path.stat()
        return _read_cached(str(path), source, stat.st_mtime_ns, stat.st_size)

    def _text_or_none(self, source: str) -> str | None:
        """document_text, or None when the file cannot be read now (moved, deleted, unreadable)."""
        try:
            return self.document_text(source)
        except (OSError, RagError):
            return None

    def document_info(self, source: str) -> dict:
        """What ingestion recorded about a document (title, encoding, pages, ...), from the
        live generation's manifest; {} for a file it does not hold."""
        gen = self.retriever.generation if self.retriever else None
        return (_manifest_files(str(gen)).get(source) or {}) if gen else {}

    def _annotate(self, ans: Answer, hits) -> None:
        """Give each citation its page (PDF), section and encoding, and each passage its page,
        after the answer is composed (the answerer never needs them)."""
        context = {(h.source, h.start, h.end): getattr(h, "context", "") for h in hits}
        for p in ans.retrieved + ans.nearest:
            p.page = page_of(self.document_info(p.source).get("pages") or (), p.start)
        for c in ans.citations:
            info = self.document_info(c.source)
            c.page = page_of(info.get("pages") or (), c.start)
            c.encoding = info.get("encoding", "utf-8")
            c.section = context.get((c.source, c.start, c.end), "").split("\n", 1)[0]

    def _rebuild_damaged(self, gen) -> None:
        # The live index cannot be trusted: forget it and its local stores, so the build below
        # starts clean instead of carrying damage forward, then open the result.
        reset(self.settings)
        build_index(self.settings, self.embedder, wait=True)
        self.retriever = Retriever(current_generation(self.settings.index))

    def retrieve(
        self,
        question: str | Question,
        history: list[str] | None = None,
        k: int | None = None,
        mode: str = "hybrid",
        timings: dict | None = None,
        retriever: Retriever | None = None,
        query: str | None = None,
        ranker=None,
        answer_text: str | None = None,
    ):
        """(query, query vector, passages, candidate sentences, the Question answered) for a
        cleaned question, as text or parsed once by rag.question.parse (the Question answered is
        the one read, or the earlier one it restates: rag.followup.restated); `ranker`
        (rag.fusion.Ranker) replaces the shipped passage ranker. With `answer_text` (the
        question typed after pasted text, searched with the text: Engine.read), the vector
        returned is that text's, which the answer reads."""
        parsed = parse(question)
        question = parsed.text
        timings = {} if timings is None else timings
        retriever = retriever or self.retriever
        k = k or self.settings.k
        if k < 1:
            raise BadInput("k must be at least 1")
        if query is None and needs_referent(question, history):
            # "Where does she live?" after "Who founded the bakery?": she is whom that answer named.
            earlier = self.ask(history[-1], history[:-1], k=k, mode=mode, ranker=ranker)
            referent = referent_of(earlier.answer, history[-1]) if earlier.answered else None
            query = resolve(question, history, referent)
        if query is None and history:
            titles = [e.get("title", "") for _, e in _manifest_files(str(retriever.generation)).items()]
            in_titles = title_subjects(titles)
            query = resolve(
                question,
                history,
                names_subject=lambda x: in_titles(x) and retriever.writes_as_name(x),
                closeness=self.closeness,
            )
        query = query or resolve(question, history)
        # "What about a dog?" asks the earlier question again, of a dog: that question is what the
        # sentences are read against (rivals, readings), and what Engine.ask answers.
        parsed = restated(parsed, history, query)
        t = time.perf_counter()
        vectors = self.embedder.embed([query] if answer_text is None else [query, answer_text])
        qvec = vectors[0]
        timings["embed_ms"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        passages = retriever.search(query, qvec, k=k, mode=mode, ranker=ranker)
        if parsed.options and passages:  # "What does gzip -k do?": the manual's entry for -k
            manuals = self._manuals(parsed.text, passages, retriever, mode, ranker)
            passages += manuals
            passages += retriever.defining(passages, parsed.options, DEFINING_DOCS + len(manuals))
        elif parsed.defines and passages:  # "What is tar used for?": its manual's NAME line
            passages += retriever.describing(passages, parsed.defines, self._about(parsed.defines, retriever))
        hits = retriever.candidate_sentences(passages) if passages else []
        if hits:
            signals.embed_readings(hits, parsed, self.embedder.embed)
            mark_rivals(hits, parsed, self.embedder.embed)
        timings["retrieve_ms"] = (time.perf_counter() - t) * 1000
        return query, vectors[-1], passages, hits, parsed

    def _about(self, name: str, retriever: Retriever) -> list[tuple[str, str]]:
        """(key, source) of the indexed documents about `name` (rag/definitions.py `about`:
        "tar.txt", a "TAR(1)" manual page, "fastsync-README.md"), the most plainly about it
        first, then in path order; at most DEFINING_DOCS."""
        files = _manifest_files(str(retriever.generation)).items()
        word = name.split()[-1].casefold()  # a cheap test first: a folder may hold thousands of files
        found = [
            (-strength, source, e["key"])
            for source, e in files
            if (word in source.casefold() or word in e.get("title", "").casefold())
            and (strength := definitions.about(name, source, e.get("title", "")))
        ]
        return [(key, source) for _, source, key in sorted(found)[:DEFINING_DOCS]]

    def _manuals(self, text: str, passages: list[Passage], retriever: Retriever, mode, ranker) -> list[Passage]:
        """For a question naming options of several commands ("ssh -p and scp -P"): the best
        passage of each command's own search, when not retrieved already, ranked after
        `passages`; the question's own retrieval may hold one command's manual only."""
        named = options.several_commands(text)
        if not named:
            return []
        have = {p.chunk_id for p in passages}
        floor = min(p.score for p in passages)
        out: list[Passage] = []
        for command, vector in zip(named, self.embedder.embed(named)):
            for p in retriever.search(command, vector, k=MANUAL_PASSAGES, mode=mode, ranker=ranker):
                if p.chunk_id not in have:
                    have.add(p.chunk_id)
                    out.append(replace(p, score=floor, vector_rank=None, bm25_rank=None))
        return out

    def read_question(self, question: str, retriever: Retriever | None = None) -> tuple[str, dict]:
        """(the question as it is searched, {typo: correction}) for a cleaned question.

        A one-letter typo in a key word ("servcie") is read as the corpus's word ("service"), or in
        its question word as that word ("hw much": rag.question.wh_corrected), a
        shouted English word the corpus does not write in capitals ("SHUT") in lower case
        (rag.question.unshouted: no name); only in an English question: "vive" in a Spanish one
        is no typo for "live"."""
        retriever = retriever or self.retriever
        if language.detect_question(question) != "en":
            return question, {}
        question, _ = unshouted(question, retriever.writes_in_capitals)
        question, asked = wh_corrected(question)  # "hw much ...?" asks how much
        fixed, fixes = correct(question, retriever.df, _is_english_word)
        return fixed, {**asked, **fixes}

    def closeness(self, text: str, options: list[str]) -> list[float]:
        """The cosine (MiniLM) of `text` to each of `options`: rag.followup.resolve's test of
        which phrase of an earlier question a follow-up's item stands for."""
        return cosines(self.embedder, text, options)

    def read(
        self, question: str, history: list[str] | None = None, retriever: Retriever | None = None
    ) -> tuple[Question, str | None, str]:
        """(the Question, the text to search or None, a note on how it was read: "" or a
        warning) for a cleaned question; Engine.ask and the evaluation's calibration read
        questions here. None: search the question, as a follow-up of `history` when it is one.

        A question typed after (or before) pasted text (rag.question.split_pasted) is the
        Question, and the search reads the whole text, pasted words and all (an FAQ's "I track
        stable. Can I change to testing?" needs "stable"): they weigh as words carried from an
        earlier turn (rag/signals.py `features`). Left aside from the search: text most of
        whose words the documents never use ("Thanks a lot!", a paragraph in another
        language), and, after earlier turns, the text before a follow-up ("... What about the
        yearly plan?"). A question that leans on the text ("Is this a bug?", "Why?") is read
        whole: the text is what it asks about. One-letter typos in the question are read as
        the corpus's words (read_question)."""
        retriever = retriever or self.retriever
        pasted, asked = split_pasted(question)
        follow_up = bool(pasted and history and opens_follow_up(asked))
        if pasted and needs_context(asked) and not follow_up:
            pasted, asked = "", question
        pasted_terms = set(terms(pasted))
        foreign = len([t for t in pasted_terms if t in retriever.df]) * 2 < len(pasted_terms)
        fixed, fixes = self.read_question(asked, retriever)
        notes = []
        if len(pasted.split()) >= MIN_PASTED_WORDS:  # "Thanks a lot!" is no pasted text to mention
            notes.append(f"read \u201c{fixed}\u201d as the question, the rest as pasted text")
        if fixes:
            notes.append("read " + ", ".join(f"\u201c{w}\u201d as \u201c{f}\u201d" for w, f in fixes.items()))
        search = question.replace(asked, fixed) if pasted and not (follow_up or foreign) else None
        return replace(parse(fixed), pasted=pasted), search, "; ".join(notes)

    def ask(
        self,
        question: str,
        history: list[str] | None = None,
        k: int | None = None,
        mode: str = "hybrid",
        scorer=None,
        on_token=None,
        ranker=None,
    ) -> Answer:
        """The cited answer; with an LLM configured, the model's guarded answer when it holds.

        `scorer` ranks candidate sentences and decides whether to answer (rag.answer.compose):
        None for the shipped rag/scorer.json; the evaluation passes one fitted per fold, and
        a passage `ranker` (rag.fusion.Ranker) likewise.

        `on_token(text)` receives the model's reply as it streams (LLM mode only)."""
        t0 = time.perf_counter()
        question = clean_question(question)
        history = [h for h in map(_earlier_question, history or []) if h]
        timings: dict = {}
        retriever = self.retriever  # one generation per answer, even if refresh() swaps it meanwhile
        condensed, warning = None, ""
        if self.llm is not None and history:
            from .llm import condense

            try:
                condensed = condense(self.llm, question, history)
            except Exception as exc:  # the core method still resolves the follow-up
                warning = f"the model could not condense the follow-up ({type(exc).__name__}); used the core method"
        parsed, search, note = self.read(question, history, retriever)
        warning = "; ".join(w for w in (warning, note) if w)
        query, qvec, passages, hits, parsed = self.retrieve(
            parsed, history, k, mode, timings, retriever, condensed or search, ranker, search and parsed.text
        )
        t = time.perf_counter()
        composed = answerer.compose(
            parsed,
            query,
            qvec,
            hits,
            passages,
            retriever.idf,
            scorer,
            known=retriever.df.__contains__,
            mentions=retriever.holds_phrase,
            text_of=self._text_or_none,
            planted_in=lambda source: bool(
                (_manifest_files(str(retriever.generation)).get(source) or {}).get("planted")
            ),
        )
        composed = answerer.in_question_language(parsed, composed, passages)
        timings["answer_ms"] = (time.perf_counter() - t) * 1000
        ans = Answer(
            question=question,
            answer=composed.text,
            answered=composed.answered,
            citations=composed.citations,
            retrieved=passages,
            nearest=composed.nearest,
            query=query,
            timings_ms=timings,
            warning="; ".join(w for w in (warning, composed.warning) if w),
            language=parsed.language,
        )
        if self.llm is not None and passages:
            t = time.perf_counter()
            self._llm_answer(ans, query, passages, hits, on_token)
            timings["llm_ms"] = (time.perf_counter() - t) * 1000
        self._annotate(ans, hits)
        timings["total_ms"] = (time.perf_counter() - t0) * 1000
        return ans

    def _llm_answer(self, ans: Answer, query: str, passages, hits, on_token) -> None:
        """Replace the extractive answer by the model's guarded one, when anything of it holds."""
        from .llm import cite, guard, messages

        try:
            msgs = messages(query, passages, self.llm.metadata.context_window)
            if on_token is not None:
                reply = ""
                for chunk in self.llm.stream_chat(msgs):
                    reply += chunk.delta or ""
                    on_token(chunk.delta or "")
            else:
                reply = self.llm.chat(msgs).message.content or ""
            verdict = guard(reply, query, passages)
        except Exception as exc:  # server error, timeout, garbage: the extractive answer stands
            ans.warning = f"the model failed ({type(exc).__name__}: {str(exc)[:160]}); showing the extractive answer"
            log.warning("%s", ans.warning)
            return
        ans.dropped = verdict.dropped
        if verdict.refused:
            ans.mode, ans.answered, ans.answer, ans.citations = "llm", False, REFUSAL, []
            ans.nearest = passages[:3]
        elif verdict.kept:
            ans.answer, ans.citations = cite(verdict.kept, passages, hits)
            ans.mode, ans.answered, ans.nearest = "llm", True, []
        else:
            ans.warning = (
                "no sentence of the model's reply was supported by what it cited; showing the extractive answer"
            )


REMINDED = 10  # warnings an ask on a fresh index repeats; the rest are counted


def _remind(warnings: list[str], settings: Settings) -> None:
    """Repeat, on an ask that runs no ingest, what the ingest that built the index warned of
    (in the same words), so a file skipped is never news only to the first run."""
    for w in warnings[:REMINDED]:
        log.warning("skipped or decoded specially: %s", w)
    if len(warnings) > REMINDED:
        log.warning(
            "skipped or decoded specially: %d more; python -m rag.ingest --docs %s --index %s lists them all",
            len(warnings) - REMINDED,
            settings.docs,
            settings.index,
        )


@lru_cache(maxsize=64)
def _read_cached(path: str, source: str, mtime_ns: int, size: int) -> str:
    from pathlib import Path

    from .documents import read_document

    return read_document(Path(path), source).text


@lru_cache(maxsize=8)
def _manifest_files(gen: str):
    """The file table (`get(source)`, `items()`) of a published generation (it never changes
    once published); read through generation.table, so a generation that shares its base with
    the one before (a one-file update) costs no new parse of it."""
    from pathlib import Path

    from .generation import Table, table

    try:
        return table(Path(gen))
    except StoreError:
        return Table.empty()


_engines: dict[tuple, Engine] = {}


def ask(question: str, history: list[str] | None = None, settings: Settings | None = None, **kw) -> Answer:
    """Answer one question with a per-settings cached Engine (the model loads once per process)."""
    settings = settings or Settings.from_env()
    key = (str(settings.docs.resolve()), str(settings.index.resolve()), settings.k)
    if key not in _engines:
        _engines[key] = Engine(settings)
    return _engines[key].ask(question, history, **kw)
