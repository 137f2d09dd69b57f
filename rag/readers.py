"""Turn a file's bytes into the text that offsets index into: documents -> chunks -> index.

What it does: one reader per format, each returning a `Read` (text, encoding, page starts,
markup, title when the format names one):
  - text (.txt, .md, .markdown, .rst): the encoding from a byte-order mark (UTF-8, UTF-16,
    UTF-32), else strict UTF-8, else detected by charset-normalizer (cp1252, cp1254,
    Shift-JIS, GBK, Big5, EUC-KR, ...), a Latin page by the letters it yields and the
    language py3langid reads in it (cp1250 Croatian is no cp1252 text). Newlines as
    universal newlines make them, so for a UTF-8 file the text is exactly `open(path,
    encoding="utf-8").read()`, a BOM included as U+FEFF at index 0 (kept so that offsets
    agree with open(); no unit, title or citation ever includes it); UTF-8 padded with NUL
    bytes at its end (a crash, a preallocating editor) loses them, so its text is a prefix of
    open()'s, and `Read.note` says so (`_nul_padded`). Mac OS Roman is the last Latin page
    asked, Western languages only. A detection that is unsure, or text that is already
    mojibake (UTF-8 decoded as cp1252 and saved again, one word of it is enough), is refused
    with a message, never repaired: indexing garbage would quote garbage, and a repaired text
    is no decoding of the file's bytes that offsets could index into. UTF-16 without a BOM is
    read when its NUL pattern is clear and it decodes cleanly; in another script (Cyrillic, Greek, CJK: NUL bytes only
    around spaces) when charset-normalizer reads it as UTF-16/32 with little chaos; else it is
    called binary. A .rst file's markup is "rst" (section titles and literal blocks, see
    rag/chunks.py `rst_as_markdown`).
  - PDF (pdfminer.six): its layout analysis groups lines into text boxes in reading order
    (columns included); a box's lines are rebuilt as visual rows (fragments of one row that
    pdfminer cut apart at wide word spacing, even across boxes, joined left to right unless
    the gap is a column gutter) and joined with spaces into paragraphs, a change of font
    size or weight (a heading) starting a new one; running heads, running feet and page
    numbers (one-line blocks in the page's top or bottom margin band recurring on several
    pages) are dropped; pages are joined by a blank line and the offset where each page
    starts is kept, so a citation names its page.
  - DOCX (python-docx): paragraphs and tables in body order; Heading/Title styles become
    `#` headings, list paragraphs `- ` items, tables `a | b` rows under a rule, so the
    Markdown structure rules of rag/chunks.py apply to them.
  - HTML (BeautifulSoup with the standard library's parser): scripts, styles, templates and
    the head dropped; h1-h6, lists, tables and <pre> rendered the same Markdown way; the
    title from <title>, else the first heading.
  - CSV (the standard library's csv, the delimiter that splits rows evenly): decoded as a text file, written as one
    `a | b` table under its first row; the title is the file name. So is a .tsv file, and a .txt
    file whose every line holds the same number of tabs (`tab_rows`: a spreadsheet saved
    as text, as Excel's "Unicode Text" does), encoding "tsv (utf-16)".
  - Captions (.srt, .vtt, parsed by webvtt-py) and a .txt file that is captions or a YouTube
    "copy transcript" beyond doubt (`caption_kind`): what is said, as running text (`_spoken`):
    cue numbers, timings, settings, NOTE blocks and tags dropped, cues joined by spaces so a
    sentence said over two cues is one, a paragraph per turn of speaker; encoding
    "srt (utf-8)", "vtt (utf-8)" or "transcript (utf-8)"; the title from a WEBVTT header,
    else the file name. Ordinary text with an arrow or a time in it is read as it is.

The extracted text is the document's text: `rag.document_text(path)` returns it, and every
citation is a slice of it. The heavy libraries are imported inside their reader, so the
query path never pays for them.

What it deliberately doesn't: OCR (a PDF without a text layer is refused, saying so), open
password-protected files, keep fonts or positions, or run anything a document contains;
repair mojibake (ftfy could: its text would not be the file's); read a text with NUL bytes
inside it (binary, or damage: refused as binary), or a legacy-page text padded with NULs.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from .errors import DocsError

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".rst")
MARKDOWN_SUFFIXES = (".md", ".markdown")
CAPTION_SUFFIXES = (".srt", ".vtt")
# Formats whose text is extracted, not decoded as is: `Read.encoding` starts with one ("csv (cp1252)",
# "srt (utf-8)"), and no open() reads that text back.
EXTRACTED = ("html", "csv", "tsv", "srt", "vtt", "transcript")
SUFFIXES = TEXT_SUFFIXES + (".pdf", ".docx", ".html", ".htm", ".csv", ".tsv") + CAPTION_SUFFIXES

_BOMS = (  # longest first: a UTF-32-LE BOM starts like a UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Two or more characters typical of UTF-8 read as cp1252/latin-1 ("CafÃ©", "â€™").
_MOJIBAKE = re.compile(
    "[\u00c2-\u00c3\u00c5\u00e2]"
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)
# The most chaos (charset-normalizer's mess ratio, 0-1) a detected decoding may show.
MAX_CHAOS = 0.1


@dataclass(frozen=True)
class Read:
    text: str
    encoding: str
    markup: str = "plain"
    pages: tuple[int, ...] = ()
    title: str = ""
    note: str = ""  # how the bytes were read beyond their encoding ("64 trailing NUL bytes ignored")


def universal_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bytes(data: bytes, source: str, suffix: str) -> Read:
    """The text of a file's bytes; DocsError naming `source` and why when it is unusable."""
    suffix = suffix.lower()
    if suffix == ".pdf":
        return read_pdf(data, source)
    if suffix == ".docx":
        return read_docx(data, source)
    if suffix in (".html", ".htm"):
        return read_html(data, source)
    if suffix in (".csv", ".tsv"):
        return read_csv(data, source, "\t" if suffix == ".tsv" else None)
    if suffix in CAPTION_SUFFIXES:
        return read_captions(data, source, suffix[1:])
    text, encoding = decode_text(data, source)
    text = universal_newlines(text)
    if suffix == ".txt":  # captions saved as .txt, only when every sign says so (`caption_kind`)
        kind = caption_kind(text)
        spoken = _spoken_read(text, encoding, source, kind)
        if spoken is not None:  # said, as a .txt gives no sign of it: its timings are not in the text
            return replace(spoken, note=f"read as {_KIND_NAMES[kind]}, its timings left out")
        rows = tab_rows(text)  # a spreadsheet saved as text (Excel's "Unicode Text" is UTF-16 TSV)
        if rows:
            return replace(_as_table(rows, f"tsv ({encoding})", source), note="read as a tab-separated table")
    markup = "markdown" if suffix in MARKDOWN_SUFFIXES else "rst" if suffix == ".rst" else "plain"
    # A UTF-8 file padded with NUL bytes (`_nul_padded`) is read saying so; a BOM's file keeps its NULs.
    padded = encoding == "utf-8" and not data.startswith(b"\xef\xbb\xbf") and b"\x00" in data[:1] + data[-1:]
    note = _padding_note(data) if padded else ""
    return Read(text, encoding, markup, note=note)


def decode_text(data: bytes, source: str) -> tuple[str, str]:
    """(text, codec name) of a text file's bytes, or DocsError saying why not."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                # Python's utf-16/utf-32 codecs drop their BOM; "utf-8" keeps it as U+FEFF,
                # exactly as open(path, encoding="utf-8") does.
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise DocsError(
                    f"{source}: starts with a {codec.upper()} byte-order mark but is not valid {codec.upper()} "
                    f"({exc.reason} at byte {exc.start}), skipped"
                ) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if b"\x00" in data[:1] + data[-1:]:
        padded = _nul_padded(data)
        if padded is not None:
            return padded, "utf-8"
    if b"\x00" in data[:8192]:
        return _bomless_utf16(data, source)
    if text is not None:
        _refuse_mojibake(text, source)
        return text, "utf-8"
    _refuse_broken_utf8(data, source)
    return _detect(data, source)


# A UTF-8 sequence of two to four bytes (a letter beyond ASCII: "é" is C3 A9).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _written(char: str) -> bool:
    """A character UTF-8 text in a Latin script writes beyond ASCII: an accented letter
    (U+00C0-U+017F), typographic punctuation (U+2010-U+206F) or the euro sign. The pairs a
    legacy page makes by chance decode to others ("CAF\u00c9\u201d" in cp1252 is C9 94: "\u0254")."""
    return "\u00c0" <= char <= "\u017f" or "\u2010" <= char <= "\u206f" or char == "\u20ac"


def _refuse_broken_utf8(data: bytes, source: str) -> None:
    """Refuse UTF-8 text with a few bytes that are not UTF-8 (a stray cp1252 "\x92" pasted in, a
    file cut in the middle of a character): read in a legacy page instead, every letter of it
    would be quoted garbled ("caf\u00c3\u00a9"), and read as UTF-8 it has no encoding that `open()`
    reads back. Said by at least two UTF-8 sequences of accented Latin letters or typographic
    punctuation (`_written`), and no more bytes outside the UTF-8 sequences than inside them."""
    found = _UTF8_SEQUENCE.findall(data)
    written = sum(_written(m.decode("utf-8", "replace")) for m in found)
    if written < 2:
        return
    stray = sum(b >= 0x80 for b in data) - sum(len(m) for m in found)
    if stray > len(found):
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            where = "ends in the middle of a character (cut short?)"
        else:
            where = (
                f"has {stray or 'some'} byte{'' if stray == 1 else 's'} that {'is' if stray == 1 else 'are'} not UTF-8 "
                f"(the first, 0x{data[exc.start]:02X}, at byte {exc.start})"
            )
        raise DocsError(f"{source}: UTF-8 text that {where}; skipped (re-save it as UTF-8)") from exc


def _nul_padded(data: bytes) -> str | None:
    """UTF-8 text between runs of NUL bytes at its start or end, and no NUL inside it: what a crash,
    a preallocating editor or a torn download leaves (the file's blocks allocated, the text never
    written into them). The trailing run is dropped: the text is then a prefix of `open(path,
    encoding="utf-8").read()`, so every offset holds for it too. A leading run is kept as it is
    (the text stays exactly open()'s; the units read each NUL as a space, rag/chunks.py), since
    dropping it would shift every offset. None when the bytes are no such text: a NUL inside the
    text (damage, binary, UTF-16, `_stray_nuls`), or what is left is not printable UTF-8. UTF-16
    and UTF-32 text has a NUL beside nearly every character, never only at its ends."""
    core = data.strip(b"\x00")
    if not core.strip() or b"\x00" in core:
        return None
    try:
        text = core.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if sum(c.isprintable() or c in "\n\r\t" for c in text) < 0.98 * len(text):
        return None
    return "\x00" * (len(data) - len(data.lstrip(b"\x00"))) + text


def _padding_note(data: bytes) -> str:
    """What `_nul_padded` did to a UTF-8 file padded with NUL bytes, to be said with its warning
    (`decode_text` read them so: the caller knows)."""
    trailing = len(data) - len(data.rstrip(b"\x00"))
    leading = len(data) - len(data.lstrip(b"\x00"))
    said = []
    if leading:
        said.append(f"{leading} leading NUL byte{'s' * (leading > 1)} kept (read as blanks)")
    if trailing:
        said.append(f"{trailing} trailing NUL byte{'s' * (trailing > 1)} ignored")
    return "padded with NUL bytes: " + ", ".join(said)


def _bomless_utf16(data: bytes, source: str) -> tuple[str, str]:
    """UTF-16 (or UTF-32) without a byte-order mark: every other byte of Latin text is NUL (three
    of every four). Read when the pattern is clear and the decoding is clean printable text;
    else the file is binary."""
    head = data[:4096]
    even, odd = head[0::2], head[1::2]
    # UTF-32 first: its every other byte is NUL too.
    codec = (_utf32_pattern(head) if len(data) % 4 == 0 else "") or (
        "utf-16-le"
        if odd and odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even)
        else "utf-16-be"
        if even and even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd)
        else ""
    )
    # A signed 16-bit signal near zero (sound samples, sensor logs) has NUL high bytes half the
    # time and 0xFF ones the other half: U+FF00-U+FFFF (halfwidth forms, specials) are no text's
    # everyday characters, so that is binary, not UTF-16 that fails to decode (helper 87, S15).
    high = odd if codec == "utf-16-le" else even if codec == "utf-16-be" else b""
    if high and high.count(0xFF) > 0.2 * len(high):
        raise DocsError(f"{source}: looks binary (NUL bytes), not text; skipped")
    if codec and len(data) % (4 if codec.startswith("utf-32") else 2) == 0:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = ""
        printable = sum(c.isprintable() or c in "\n\r\t" for c in text)
        if text and "\x00" not in text and printable >= 0.98 * len(text):
            return text, codec
        raise DocsError(
            f"{source}: looks like {codec.upper()} text without a byte-order mark, but does not decode"
            " cleanly; skipped (save it as UTF-8)"
        )
    if _stray_nuls(data):
        raise DocsError(f"{source}: looks binary (NUL bytes), not text; skipped")
    # Text in another script (Cyrillic, Greek, CJK) has no NUL in its letters' high bytes, only
    # around spaces and punctuation: charset-normalizer tells UTF-16/32 from binary by how
    # coherent each decoding reads.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    name = best.encoding.replace("_", "-") if best is not None else ""
    if name in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be") and best.chaos <= MAX_CHAOS:
        text = str(best)
        if "\x00" not in text and sum(c.isprintable() or c in "\n\r\t" for c in text) >= 0.98 * len(text):
            return text, name
    raise DocsError(f"{source}: looks binary (NUL bytes), not text; skipped")


def _utf32_pattern(head: bytes) -> str:
    """ "utf-32-le" or "utf-32-be" when the bytes of Latin text are one byte and three NULs in
    each group of four (the NULs after it, or before), else ""."""
    lanes = [head[i::4] for i in range(4)]
    if not all(lanes):
        return ""
    zeros = [lane.count(0) / len(lane) for lane in lanes]
    if min(zeros[1:]) > 0.9 and zeros[0] < 0.1:
        return "utf-32-le"
    if min(zeros[:3]) > 0.9 and zeros[3] < 0.1:
        return "utf-32-be"
    return ""


def _stray_nuls(data: bytes) -> bool:
    """Printable UTF-8 text once its NUL bytes are dropped: a damaged or binary-tagged text file,
    not UTF-16. Why: paired up, printable ASCII bytes are CJK code points, so a decoder that
    judges coherence (charset-normalizer) can read "Staff Notes\\0\\0 garbage" as UTF-16 and
    quote ideographs. Real UTF-16 in another script keeps non-ASCII or control bytes (0x04 of
    Cyrillic, 0x03 of Greek, CJK lead bytes) after the NULs are dropped."""
    try:
        rest = data.replace(b"\x00", b"").decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(rest) and sum(c.isprintable() or c in "\n\r\t" for c in rest) >= 0.98 * len(rest)


def _refuse_mojibake(text: str, source: str) -> None:
    """Text already garbled by a wrong decoding ("CafÃ©") quotes garbage: refuse it, saying so.
    One garbled word is enough ("Our new head chef is JosÃ©"): what tells mojibake from a text
    that writes "Ã" or "Â" is that the whole text, encoded back in cp1252 (or Latin-1), is UTF-8
    again, which a text holding any other letter beyond ASCII ("SÃO PAULO, Ação") never is. A
    lone one standing apart ("if your CSV shows Ã© where an e should be") is quoted, no word of
    the text: it takes a letter or digit beside it to be one ("JosÃ©", "Â£5"). Refused, not
    repaired: the repaired text would be no decoding of the file's bytes that
    `open()` reproduces, and its offsets would index into a text the file does not hold."""
    found = list(_MOJIBAKE.finditer(text))
    if len(found) == 1:
        start, end = found[0].span()
        if not any(c.isalnum() for c in text[max(start - 1, 0) : start] + text[end : end + 1]):
            return
    hits = [m.group() for m in found]
    if not hits:
        return
    try:
        repaired = text.encode("cp1252", errors="strict").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        try:
            repaired = text.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return
    if repaired != text:
        sample = hits[0]
        raise DocsError(
            f"{source}: holds mojibake (such as {sample!r}: UTF-8 text that was once decoded with the wrong"
            " encoding), skipped; fix the file's encoding"
        )


# Letters the languages of each Latin code page use beyond ASCII, most used page first.
# charset-normalizer cannot tell these pages apart on a short text (every one decodes every
# byte, and its coherence scores tie): Turkish in cp1252 reads "Öðrenciler", Czech
# "Pøíli¹". A decoding is plausible when every non-ASCII letter it yields belongs to its
# page's languages; of the plausible pages, the one made for the text's language wins
# (_page_of_language), else the first (_detect); none plausible means unsure (refused).
_WESTERN = set("àáâãäåæçèéêëìíîïñòóôõöøùúûüÿßœšžÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜŸŒŠŽªºµ")
_CENTRAL = set("ąćęłńóśźżčďěňřšťůžáéíóúýäöüôĺľŕőűăâîșțşţëçßđĄĆĘŁŃÓŚŹŻČĎĚŇŘŠŤŮŽÁÉÍÓÚÝÄÖÜÔĹĽŔŐŰĂÂÎȘȚŞŢËÇĐ")
_LATIN_PAGES = (
    ("cp1252", _WESTERN),
    ("iso8859_15", _WESTERN),  # cp1252's cousin: € and œ where cp1252 reads ¤ and ½
    ("cp1254", _WESTERN | set("ğĞşŞıİ")),
    ("cp1250", _CENTRAL),
    ("iso8859_2", _CENTRAL),  # cp1250's ISO cousin: ą, ś, ź, š, ť, ž at other bytes
    ("cp1257", set("āčēģīķļņšūžąęėįųõäöüåæøéóĀČĒĢĪĶĻŅŠŪŽĄĘĖĮŲÕÄÖÜÅÆØÉÓ")),
    # Mac OS Roman (classic Mac OS, and TextEdit or old Office for Mac exports), last: a text of
    # a Windows page reads as it only in symbols ("rÈsumÈ", "‡ Paris"); its own é, ü, ä, û are
    # cp1252's Ž, Ÿ, Š, ž ("musŽe", "GrŸ§e"), which the text's language refuses (`_page_of_language`).
    ("mac_roman", _WESTERN),
)
# The letters beyond ASCII of the languages the Latin pages are for (lower case; upper case
# follows). A right decoding's letters come from one language ("Čtenáři ... půjčit": Czech);
# a wrong page mixes several (cp1250 Czech read as cp1252: "Ètenáøi ... pùjèit", Italian,
# Danish and French letters in one word list). Source: the languages' standard alphabets.
# Keyed by the languages' ISO 639-1 codes, as py3langid names them (`_page_of_language`).
_ALPHABET_OF = {
    codes: frozenset(letters + letters.upper())
    for codes, letters in (
        ("fr", "àâæçéèêëîïôœùûüÿ"),  # French
        ("de", "äöüß"),  # German
        ("es gl", "áéíñóúü"),  # Spanish (Galician)
        ("pt", "áâãàçéêíóôõú"),  # Portuguese
        ("it", "àèéìíîòóù"),  # Italian
        ("nl", "áéëïóöüèà"),  # Dutch
        ("da no nb nn", "æøåéóü"),  # Danish, Norwegian
        ("sv fi", "åäöéü"),  # Swedish, Finnish
        ("is", "áðéíóúýþæö"),  # Icelandic
        ("ca", "àçèéíïòóúü"),  # Catalan
        ("tr", "çğıöşüâîûİ"),  # Turkish ("İ" is no upper case of "i" to str.upper)
        ("cs", "áčďéěíňóřšťúůýž"),  # Czech
        ("sk", "áäčďéíĺľňóôŕšťúýž"),  # Slovak
        ("pl", "ąćęłńóśźż"),  # Polish
        ("hu", "áéíóöőúüű"),  # Hungarian
        ("ro", "ăâîșțşţ"),  # Romanian (comma and cedilla forms)
        ("hr bs sr sl", "čćđšž"),  # Croatian, Bosnian, Serbian Latin, Slovenian
        ("lt", "ąčęėįšųūž"),  # Lithuanian
        ("lv", "āčēģīķļņšūž"),  # Latvian
        ("et", "äõöüšž"),  # Estonian
        ("sq", "ëç"),  # Albanian
    )
}
_ALPHABETS = tuple(_ALPHABET_OF.values())


def _in_alphabet(text: str, code: str) -> bool:
    """True when every letter of the text beyond ASCII is of language `code`'s alphabet (False
    for a language not in _ALPHABET_OF)."""
    alphabet = next((a for codes, a in _ALPHABET_OF.items() if code in codes.split()), None)
    odd = {c for c in text if not c.isascii() and c.isalpha() and c not in "ªºµ"}
    return alphabet is not None and odd <= alphabet


def _words_alphabets(text: str) -> int:
    """The most languages' alphabets one word of the text needs (`_alphabets_needed` per word)."""
    return max((_alphabets_needed(w) for w in re.findall(r"[^\W\d_]+", text) if not w.isascii()), default=0)


def _mixed_words(text: str) -> bool:
    """True when a word mixes ASCII letters with letters of another script ("Weiك")."""
    return any(any(c.isascii() for c in w) and any(c > "\u024f" for c in w) for w in re.findall(r"[^\W\d_]+", text))


def _alphabets_needed(text: str) -> int:
    """How many languages' alphabets (0, 1, 2, or 3 for more) it takes to hold the text's
    letters beyond ASCII; the ordinal signs and the micro sign ("Nº", "µm") are no letters."""
    odd = {c for c in text if not c.isascii() and c.isalpha() and c not in "ªºµ"}
    if not odd:
        return 0
    if any(odd <= a for a in _ALPHABETS):
        return 1
    if any(odd <= a | b for i, a in enumerate(_ALPHABETS) for b in _ALPHABETS[i + 1 :]):
        return 2
    return 3


# A Western page (cp1252 or its cousin) may hold two languages' letters: a French text naming
# "Gómez"; another page must read as one language to be preferred to it.
_WESTERN_PAGES = ("cp1252", "iso8859_15")

# The languages (ISO 639-1, as rag.language identifies them) each Latin page is made for.
# English, Indonesian and Malay need no letter beyond ASCII: in their text such letters are
# names' ("Jiří Dvořák"), which tell nothing of the page (the letters' rule decides).
_WESTERN_LANGUAGES = frozenset("en fr de es pt it nl da no sv fi ca gl eu id ms".split())
_ASCII_LANGUAGES = frozenset(("en", "id", "ms"))
_PAGE_LANGUAGES = {
    "cp1252": _WESTERN_LANGUAGES,
    "iso8859_15": _WESTERN_LANGUAGES,
    "cp1254": frozenset(("tr",)),
    "cp1250": frozenset("pl cs sk sl hr sr hu ro".split()),
    "iso8859_2": frozenset("pl cs sk sl hr sr hu ro".split()),
    "cp1257": frozenset("lt lv et".split()),
    "mac_roman": _WESTERN_LANGUAGES,
}


def _page_of_language(readings: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The first of the plausible `readings` ((codec, text), in _LATIN_PAGES order) whose page is
    made for the text's language, as py3langid tells it from the reading it is surest of (the
    words, not the few letters a page changes, carry it: Croatian cp1250 read as cp1252,
    "Èlanovi mogu posuditi najviše", is still Croatian; a French text naming "Škoda" still
    French). None when the language is unsure, needs no letter beyond ASCII (English), or no
    page is made for it."""
    from .language import identify

    told = [found for _, text in readings if (found := identify(text))]
    if not told:
        return None
    code = max(told, key=lambda found: found[1])[0]
    if code in _ASCII_LANGUAGES:
        return None
    # Of the pages made for it, the one whose reading needs the fewest alphabets (ISO-8859-2
    # Czech read as cp1250 adds a Polish "ą": "nejvýąe"), then one whose letters are all the
    # language's own (Mac Roman French read as cp1252, "Žtudiants cožtent", needs one alphabet
    # too, Czech's, but French has no Ž), the first on a tie.
    made = [(codec, text) for codec, text in readings if code in _PAGE_LANGUAGES[codec]]
    return min(made, key=lambda r: (_alphabets_needed(r[1]), not _in_alphabet(r[1], code)), default=None)


# Signs a wrong Latin page leaves: ¤ (an ISO-8859-15 €), C1 control characters; ¹ and ³ in a
# word (`_telling_superscript`: cp1250's ą and ł read as cp1252); and any non-ASCII symbol
# inside a word ("c½ur").
_TELLING = set("\u00a4") | {chr(c) for c in range(0x80, 0xA0)}
_SUPERSCRIPT_IN_WORD = re.compile(r"([^\W\d_]*)[\u00b9\u00b3](?=[^\W\d_])|([^\W\d_]+)[\u00b9\u00b3]")
_UNITS_SQUARED = frozenset("m cm mm km dm ft in yd mi".split())  # "m³", "km²": a power of a unit


def _telling_superscript(text: str) -> bool:
    """¹ or ³ before a letter, or after a word that is no unit: cp1250's ą or ł read as cp1252
    ("³ódŸ", "Wa³êsa", "Pawe³"); not "m³", "3 km³" or "x¹" after a digit."""
    for m in _SUPERSCRIPT_IN_WORD.finditer(text):
        if m.group(2) is None or m.group(2).lower() not in _UNITS_SQUARED:
            return True
    return False


_IN_WORD_OK = set("\u2019\u00b7\u2011\u00b4\u00ad")
# Single-byte pages for non-Latin scripts that files are saved in today (Windows, ISO, KOI8).
_TODAY_PAGES = (
    "cp1251",
    "koi8_r",
    "koi8_u",
    "iso8859_5",
    "cp1253",
    "iso8859_7",
    "cp1255",
    "iso8859_8",
    "cp1256",
    "cp874",
)
_RARE_PAGES = ("mac_", "cp437", "cp7", "cp8", "kz1048", "ptcp154", "hp_roman8")
_CJK_CODECS = (
    "cp932",
    "shift_jis",
    "euc_jp",
    "euc_jis_2004",
    "iso2022_jp",
    "gb2312",
    "gbk",
    "gb18030",
    "big5",
    "big5hkscs",
    "cp950",
    "euc_kr",
    "cp949",
    "johab",
    "hz",
)


def _latin(text: str) -> bool:
    return all(c.isascii() or "\u00a0" <= c <= "\u024f" or not c.isalpha() for c in text)


# The feminine ordinal follows a digit, a letter or a point ("2ª", "Nª", "1.ªs") and never opens
# a word before a small letter: there it is cp1250's Ş read as cp1252 ("ªtefan"); nor do £ ¯ ° ±
# and the like (cp1250's Ł and Ż: "£ucja ¯muda"). Not º ("25 ºC") nor guillemets.
_NO_WORD_START = re.compile(
    r"(?:^|(?<=[\s(\"'\u201c\u2018]))[\u00aa\u00a3\u00af\u00a5\u00a7\u00a8\u00ac\u00ae\u00b0\u00b1\u00b8]"
    r"(?=[a-z\u00e0-\u00ff])"
)


# What a Windows page's letters read as in Mac Roman follows a word's small letters: a capital
# ("cafÈ", "rÈsumÈ": é), a modifier, math or currency symbol ("pi˘": ù, "Gr¸n": ü, "Ä": €), an
# opening quote ("‚": â) or a sign no writer puts after a letter ("‡", "‰", "·": à, ä, á). Mac
# Roman's own punctuation after a word ("l’entrée", "dit »", "…", "—") is no sign.
_AFTER_SMALL = frozenset("Sk Sm So Sc Ps Pi".split())


def _mac_odd(text: str) -> bool:
    """A Mac Roman reading that is a Windows page's text (`_AFTER_SMALL`), or one with no letter
    beyond ASCII: Mac Roman's own text has some (its symbols alone are a Windows page's capitals,
    "ÉTÉ À PARTIR" read as "…T… ¿ PARTIR"). The marks brands carry ("Macintosh™", "FileMaker®",
    "©") are Mac Roman's own too."""
    if not any(c.isalpha() and not c.isascii() for c in text):
        return True
    return any(
        text[i - 1].islower()
        and not c.isascii()
        and c not in "™®©"
        and ((c.isalpha() and c.isupper()) or unicodedata.category(c) in _AFTER_SMALL or c in "†‡‰·")
        for i, c in enumerate(text)
        if i
    )


def _plausible(text: str, letters: set) -> bool:
    odd = {c for c in set(text) if not c.isascii() and c not in letters}
    if any(c.isalpha() or c.isdecimal() or c in _TELLING for c in odd) or _NO_WORD_START.search(text):
        return False
    if _telling_superscript(text):
        return False
    return not any(
        text[i] in odd and text[i] not in _IN_WORD_OK and text[i - 1].isalpha() and text[i + 1].isalpha()
        for i in range(1, len(text) - 1)
    )


def _case_odd(text: str) -> bool:
    """A decoding whose letter case no writer would produce: words in mixed case ("вйвлйпиЮкзт",
    "оПЮБХКЮ": Cyrillic through the wrong KOI8/Windows page), or a text of 20 cased letters or
    more with almost no small letters (Hebrew read as KOI8-R is all capitals). Scripts without
    case (Hebrew, Arabic, Thai) are never odd."""
    words = re.findall(r"[^\W\d_]{2,}", text)
    mixed = sum(any(c.isupper() for c in w[1:]) and not w.isupper() for w in words)
    cased = [c for c in text if c.isupper() or c.islower()]
    lower = sum(c.islower() for c in cased)
    return mixed > 0.1 * max(1, len(words)) or (len(cased) >= 20 and lower < 0.3 * len(cased))


def _non_latin(matches) -> object | None:
    """The likeliest decoding among charset-normalizer's candidates in a non-Latin script.

    charset-normalizer ranks by its mess ratio first; on two short lines several code pages
    read clean, and it may settle on one nobody saves files in today (cp1253 Greek read as
    mac_cyrillic "бньнет") or on KOI8-R for Hebrew ("ЗВПЕО"). Among the clean candidates in a
    page in use today, the ones whose letter case reads like writing come first (`_case_odd`),
    then those in which charset-normalizer recognises a language (its coherence: letter
    frequencies of the languages the page is made for, the decoded text's language as the
    tie-breaker), then the least mess and the most coherent. No decoding is ever altered."""
    clean = [
        m
        for m in matches
        if m.chaos <= MAX_CHAOS
        # cp874 (Thai, Windows) is a page of today that the DOS pages' prefix "cp8" would catch
        and (m.encoding in _TODAY_PAGES or not m.encoding.startswith(_RARE_PAGES))
        and m.encoding not in _CJK_CODECS
        and not _latin(str(m))
    ]
    if not clean:
        return None
    return min(clean, key=lambda m: (_case_odd(str(m)), m.coherence <= 0, m.chaos, -m.coherence))


CJK_MIN_BYTES = 3  # bytes beyond ASCII a CJK reading needs to be taken before the Latin pages


def _detect(data: bytes, source: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    high = sum(b >= 0x80 for b in data)
    today: list = []  # charset-normalizer over the pages in use today (_TODAY_PAGES), run once if asked

    def todays() -> list:
        if not today:
            today.append(list(from_bytes(data, cp_isolation=list(_TODAY_PAGES))))
        return today[0]

    # One or two bytes beyond ASCII are no CJK text ("Our driver is Oğuz." reads as big5 "O繠z"):
    # the Latin pages are asked first.
    cjk = best is not None and best.chaos <= MAX_CHAOS and best.encoding in _CJK_CODECS
    if cjk and high >= CJK_MIN_BYTES:
        return str(best), best.encoding
    # A text of mostly ASCII letters is in a Latin script, whatever a guess on its few other
    # bytes says ("Café." reads as Urdu to charset-normalizer): the Latin pages decide.
    mostly_ascii = high <= max(1, 0.3 * sum(chr(b).isalpha() for b in data if b < 0x80))
    if mostly_ascii or (best is not None and _latin(str(best))):
        readings = []
        for codec, letters in _LATIN_PAGES:
            try:
                candidate = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _plausible(candidate, letters) and not (codec == "mac_roman" and _mac_odd(candidate)):
                readings.append((codec, candidate))
        # ISO-8859-2 reads symbols as letters ("»" as "ť", "©" as "Š"): it is a reading only
        # where cp1250 has none (Polish "ą" is cp1250's "±" inside a word).
        if any(codec == "cp1250" for codec, _ in readings):
            readings = [r for r in readings if r[0] != "iso8859_2"]
        # First the page made for the text's language (_page_of_language).
        chosen = _page_of_language(readings) if len(readings) > 1 else None
        if chosen:
            return chosen[1], chosen[0]
        # A Western page whose every word reads as one language (names of several: "Søren and
        # Zoë"; not "Dvoøák", Danish and Spanish letters in one word: cp1250's "Dvořák"), else a
        # page whose letters read as one language.
        for codec, candidate in readings:
            if codec in _WESTERN_PAGES and _words_alphabets(candidate) <= 1:
                return candidate, codec
            if codec not in _WESTERN_PAGES and _alphabets_needed(candidate) <= 1:
                return candidate, codec
        # None does: a name in another script may ("Иван Петров" in an English text saved as
        # cp1251 reads as cp1254 "Èâàí Ïåòğîâ"), when no word mixes it with Latin letters.
        chosen = _non_latin(todays())
        if chosen is not None and not _mixed_words(str(chosen)):
            return str(chosen), chosen.encoding
        if readings:
            return readings[0][1], readings[0][0]
    if cjk:
        return str(best), best.encoding
    if best is None or best.chaos > MAX_CHAOS:
        # charset-normalizer's default run may leave out the page the text is in (three lines of
        # cp1253 Greek come back as cp1251 "Кбньнет вйвлйпиЮкзт", too messy, and mac_cyrillic
        # only): the pages in use today are measured on their own, and one is taken when it reads
        # clean, in letter case like writing, and in a language charset-normalizer recognises.
        chosen = _non_latin(todays())
        if chosen is not None and not _case_odd(str(chosen)) and chosen.coherence > 0:
            return str(chosen), chosen.encoding
        raise DocsError(f"{source}: not UTF-8 and its encoding could not be determined, skipped (save it as UTF-8)")
    # Cyrillic, Greek, Hebrew, ...: charset-normalizer's coherence tells these apart, except that on
    # a short text it may settle on a Mac or DOS page nobody saves files in today (two lines of
    # cp1253 Greek read as mac_cyrillic "бньнет"): that is unsure, and refused below.
    # charset-normalizer's default run drops pages that read alike (two lines of cp1253 Greek
    # come back as mac_cyrillic, iso8859_5 and cp1251 only): the pages in use today are
    # measured side by side too.
    chosen = _non_latin(list(matches) + todays())
    if chosen is not None:
        return str(chosen), chosen.encoding
    raise DocsError(
        f"{source}: not UTF-8, and unsure which legacy encoding it is (it reads as {best.encoding}, which may be "
        "garbled), skipped (save it as UTF-8)"
    )


# ---- PDF ---------------------------------------------------------------------------------


def read_pdf(data: bytes, source: str) -> Read:
    import io

    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    pages: list[list[_Block]] = []
    title = ""
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
            pages.append(_page_blocks(page))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise DocsError(f"{source}: encrypted PDF (needs a password), skipped") from exc
    except PDFSyntaxError as exc:
        raise DocsError(f"{source}: not a readable PDF ({exc}), skipped") from exc
    except Exception as exc:  # pdfminer raises many kinds on truncated or damaged files
        raise DocsError(f"{source}: damaged or truncated PDF ({type(exc).__name__}: {exc}), skipped") from exc
    if not pages:
        raise DocsError(f"{source}: PDF with no pages (damaged or truncated?), skipped")
    furniture = _page_furniture(pages)
    pages_text = [_join_boxes([p for b in blocks if b.key not in furniture for p in b.paras]) for blocks in pages]
    # A font without a Unicode map extracts as "(cid:72)" codes: garbage, never to be indexed.
    cids = sum(len(_CID.findall(p)) for p in pages_text)
    if cids and cids > 0.2 * sum(len(p.split()) for p in pages_text):
        raise DocsError(f"{source}: PDF whose fonts have no Unicode map (its text extracts as glyph codes), skipped")
    pages_text = [_CID.sub("", p) for p in pages_text]
    if not any(any(c.isalnum() for c in p) for p in pages_text):
        raise DocsError(
            f"{source}: PDF with no text layer ({len(pages_text)} page(s) of images, scanned?), skipped; OCR it first"
        )
    starts, text = [], ""
    for i, p in enumerate(pages_text):
        if i:
            text += "\n\n"
        starts.append(len(text))
        text += p
    return Read(text, "pdf", "plain", tuple(starts), title)


_CID = re.compile(r"\(cid:\d+\)")
# Page furniture: a one-line block in the top or bottom MARGIN_BAND of the page whose text,
# digits and roman numerals masked, recurs at the same edge on FURNITURE_PAGES pages or more
# (a running head, a running foot, a page number).
MARGIN_BAND = 0.12
FURNITURE_PAGES = 3
NEAR_ROWS = 3
_PAGE_NUMBER = re.compile(r"\d+|\b[ivxlcdm]+\b")


@dataclass(frozen=True)
class _Para:
    text: str
    first: tuple[float, bool]  # (font size, bold) of its first row
    last: tuple[float, bool]


@dataclass(frozen=True)
class _Block:
    paras: tuple[_Para, ...]
    key: tuple[str, str] | None  # (edge, masked text) for a one-line block in a margin band


def _same_row(a, b) -> bool:
    """Two text lines share a visual row: they overlap vertically by half the smaller height."""
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap >= 0.5 * min(a.height, b.height)


def _crossed(left, right, lines) -> bool:
    """The gap between two fragments of a row is spacing inside a line, not a column gutter:
    a line of a nearby row (within NEAR_ROWS row heights) runs across it. Nothing crosses a
    gutter but a full-width heading or caption, and those stand apart from the columns."""
    a, b = min(left.x1, right.x1), max(left.x0, right.x0)
    mid, reach = (left.y0 + left.y1) / 2, NEAR_ROWS * max(left.height, right.height)
    return any(
        ln.x0 < a and ln.x1 > b and abs((ln.y0 + ln.y1) / 2 - mid) <= reach and not _same_row(ln, left) for ln in lines
    )


def _page_blocks(page) -> list[_Block]:
    """A page's text as blocks in reading order, each its paragraphs.

    pdfminer's layout analysis groups lines into boxes in reading order (columns included),
    but it cuts a row where the words are spread wider than `char_margin` (justified text,
    two spaces after a full stop) and sorts a box's lines by their top edge alone; so the
    fragments of one row can land in different boxes or in the wrong order. Boxes holding
    fragments of one row across a gap that is no column gutter are merged, and a box's
    lines are rebuilt as rows, top to bottom, fragments left to right."""
    from pdfminer.layout import LTTextBox, LTTextLine

    boxes = [
        [ln for ln in el if isinstance(ln, LTTextLine) and ln.get_text().strip()]
        for el in page
        if isinstance(el, LTTextBox)
    ]
    boxes = [b for b in boxes if b]
    lines = [(ln, i) for i, b in enumerate(boxes) for ln in b]
    parent = list(range(len(boxes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    flat = [ln for ln, _ in lines]
    by_top = sorted(lines, key=lambda li: -li[0].y1)
    for k, (a, i) in enumerate(by_top):
        for b, j in by_top[k + 1 :]:
            if b.y1 < a.y0:
                break  # sorted by top edge: nothing further down reaches this row
            if root(i) != root(j) and _same_row(a, b) and _crossed(a, b, flat):
                parent[max(root(i), root(j))] = min(root(i), root(j))
    groups: dict[int, list] = {}
    for ln, i in lines:
        groups.setdefault(root(i), []).append(ln)
    top, bottom = page.y1 - MARGIN_BAND * page.height, page.y0 + MARGIN_BAND * page.height
    out = []
    for g in sorted(groups):
        rows = _rows(groups[g])
        key = None
        if len(rows) == 1:
            ln = groups[g][0]
            edge = "top" if ln.y0 >= top else "bottom" if ln.y1 <= bottom else ""
            if edge:
                key = (edge, _PAGE_NUMBER.sub("#", rows[0][0].lower()))
        out.append(_Block(tuple(_paragraphs(rows)), key))
    return out


def _rows(lines) -> list[tuple[str, float, bool]]:
    """Lines as visual rows, top to bottom: (text, font size, bold), fragments left to right."""
    rows: list[list] = []
    for ln in sorted(lines, key=lambda ln: -ln.y1):
        if rows and _same_row(rows[-1][0], ln):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    out = []
    for row in rows:
        text = " ".join(" ".join(ln.get_text().split()) for ln in sorted(row, key=lambda ln: ln.x0))
        chars = [c for ln in row for c in ln if hasattr(c, "fontname") and c.get_text().strip()]
        size = sorted(c.size for c in chars)[len(chars) // 2] if chars else 0.0
        bold = sum("bold" in c.fontname.lower() for c in chars) > len(chars) / 2
        out.append((_clean(text), size, bold))
    return out


def _paragraphs(rows: list[tuple[str, float, bool]]) -> list[_Para]:
    """Rows joined into paragraphs: "exam-" + "ple" stays "exam-ple", others join with a
    space; a change of font size or weight between rows (a heading over its text) ends one."""
    out: list[_Para] = []
    for text, size, bold in rows:
        if not text:
            continue
        style = (size, bold)
        if out and _same_style(out[-1].last, style):
            sep = "" if out[-1].text.endswith("-") else " "
            out[-1] = _Para(out[-1].text + sep + text, out[-1].first, style)
        else:
            out.append(_Para(text, style, style))
    return out


def _same_style(a: tuple[float, bool], b: tuple[float, bool]) -> bool:
    return abs(a[0] - b[0]) <= 0.1 * max(a[0], b[0]) and a[1] == b[1]


def _page_furniture(pages: list[list[_Block]]) -> set:
    """The keys of one-line margin blocks that recur at one edge on FURNITURE_PAGES pages."""
    seen = Counter(key for blocks in pages for key in {b.key for b in blocks if b.key})
    need = min(FURNITURE_PAGES, len(pages)) if len(pages) > 1 else 2
    return {key for key, n in seen.items() if n >= need}


def _join_boxes(paras: list[_Para]) -> str:
    """Boxes as paragraphs, one per line; a box that stops mid-sentence (no closing
    punctuation) and a next one in the same font that goes on in lower case are one
    paragraph (widely spaced lines fall into separate boxes; a heading is in another font)."""
    out: list[_Para] = []
    for p in paras:
        if not p.text:
            continue
        prev = out[-1] if out else None
        if prev and prev.text[-1] not in '.!?:;"\u201d)' and p.text[0].islower() and _same_style(prev.last, p.first):
            sep = "" if prev.text.endswith("-") else " "
            out[-1] = _Para(prev.text + sep + p.text, prev.first, p.last)
        else:
            out.append(p)
    return "\n".join(p.text for p in out)


def _clean(text: str) -> str:
    # Ligatures ("ﬁ") and odd spaces from the PDF's fonts, folded so that search finds the words.
    text = "".join(unicodedata.normalize("NFKC", c) if "\ufb00" <= c <= "\ufb06" else c for c in text)
    return text.replace("\u00a0", " ").strip()


# ---- DOCX --------------------------------------------------------------------------------


def read_docx(data: bytes, source: str) -> Read:
    import io
    import zipfile

    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise DocsError(f"{source}: python-docx is not installed, skipped") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocsError(f"{source}: not a valid Word .docx file ({type(exc).__name__}), skipped") from exc
    except Exception as exc:  # damaged XML inside a valid ZIP, and the like
        raise DocsError(f"{source}: damaged Word file ({type(exc).__name__}: {exc}), skipped") from exc
    try:
        return _docx_text(document, Paragraph, Table, source)
    except DocsError:
        raise
    except Exception as exc:
        raise DocsError(f"{source}: damaged Word file ({type(exc).__name__}: {exc}), skipped") from exc


def _docx_text(document, Paragraph, Table, source: str) -> Read:
    blocks: list[str] = []
    title = ""

    def blocks_of(parent):  # body order; content controls (w:sdt, e.g. a cover page) opened up
        for child in parent.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag in ("sdt", "sdtContent"):
                yield from blocks_of(child)
            else:
                yield tag, child

    for tag, child in blocks_of(document.element.body):
        if tag == "p":
            para = Paragraph(child, document)
            text = " ".join(para.text.split())
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            level = _heading_level(style)
            if level:
                title = title or text
                blocks.append("#" * level + " " + text)
            elif style.lower().startswith("list") or child.find(".//{*}numPr") is not None:
                blocks.append("- " + text)
            else:
                blocks.append(text)
        elif tag == "tbl":
            rows = [[" ".join(c.text.split()) for c in row.cells] for row in Table(child, document).rows]
            blocks.append(_table(rows))
    text = _join_blocks(blocks)
    if not any(c.isalnum() for c in text):
        raise DocsError(f"{source}: Word file with no text (empty document or only images), skipped")
    core_title = (document.core_properties.title or "").strip()
    return Read(text, "docx", "markdown", (), core_title or title)


def _heading_level(style: str) -> int:
    if style == "Title":
        return 1
    m = re.fullmatch(r"Heading (\d)", style)
    return min(6, int(m.group(1))) if m else 0


def _table(rows: list[list[str]]) -> str:
    """Rows as `a | b` lines, the first (the header) followed by a rule, as Markdown writes tables."""
    rows = [r for r in rows if any(c for c in r)]
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    lines = [" | ".join(c or "-" for c in r + [""] * (width - len(r))) for r in rows]
    return "\n".join([lines[0], " | ".join(["---"] * width)] + lines[1:])


def _join_blocks(blocks: list[str]) -> str:
    """Blocks separated by blank lines, except consecutive list items (one list)."""
    out = ""
    for b in blocks:
        if not b:
            continue
        if out:
            out += "\n" if (b.startswith("- ") and out.rsplit("\n", 1)[-1].startswith("- ")) else "\n\n"
        out += b
    return out


# ---- CSV ---------------------------------------------------------------------------------


def read_csv(data: bytes, source: str, delimiter: str | None = None) -> Read:
    """A CSV file as one table: its bytes decoded as a text file's are (BOM, UTF-8, detected),
    split by the standard library's csv reader on `delimiter`, else on the one (comma, semicolon,
    tab or pipe) that gives the most rows of one width (quoted cells keep their commas: "Lyon, France"),
    its rows written as `a | b` lines under the first row and a rule, as DOCX and HTML tables
    are, so each row is quoted with its header. A pipe inside a cell is escaped (\\|) so that
    the row keeps its cells."""
    import csv

    text, encoding = decode_text(data, source)
    text = universal_newlines(text).lstrip("\ufeff")
    try:
        rows = _csv_rows(text, delimiter) if delimiter else max((_csv_rows(text, d) for d in ",;\t|"), key=_consistency)
    except csv.Error as exc:
        raise DocsError(f"{source}: not a readable CSV file ({exc}), skipped") from exc
    kind = "tsv" if delimiter == "\t" else "csv"
    return _as_table(rows, f"{kind} ({encoding})", source)


def _as_table(rows: list[list[str]], encoding: str, source: str) -> Read:
    """Rows of cells as one `a | b` table under the first row; DocsError when no cell holds a value."""
    table = _table([[" ".join(c.split()).replace("|", "\\|") for c in row] for row in rows])
    if not any(c.isalnum() for c in table):
        raise DocsError(f"{source}: CSV file with no values, skipped")
    return Read(table, encoding, "markdown", (), source.rsplit("/", 1)[-1])


def tab_rows(text: str) -> list[list[str]] | None:
    """The rows of a text file that is a table with tabs between its cells, as a spreadsheet saves
    one, else None: two lines or more, each with the same number of tabs (one or more), none
    opening a line (an indented line is prose or code, not a row), and not labels before their
    values ("Q:\tWhen does the pool open?", "Phone:\t01234 ..."). Its cells are split at the
    tabs, quotes and all."""
    rows = [line.split("\t") for line in text.lstrip("\ufeff").split("\n") if line.strip()]
    widths = {len(row) for row in rows}
    if len(rows) < 2 or len(widths) != 1 or widths == {1} or any(row[0] == "" for row in rows):
        return None
    return None if any(row[0].rstrip().endswith(":") for row in rows) else rows


def _csv_rows(text: str, delimiter: str) -> list[list[str]]:
    import csv
    import io

    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row]


def _consistency(rows: list[list[str]]) -> tuple[int, int]:
    """How well a delimiter splits a CSV file: the number of rows of the most common width (and
    that width), when it is over one. csv.Sniffer picks the comma for "City;Office" above
    "Lyon, France;...": the semicolon gives every row four cells."""
    counts = Counter(len(row) for row in rows)
    width, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]), default=(0, 0))
    return (n, width) if width > 1 else (0, 0)


# ---- HTML --------------------------------------------------------------------------------

_DROP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas", "nav", "button"}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "blockquote",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "dl",
    "address",
    "form",
    "fieldset",
    "details",
    "summary",
    "body",
    "html",
    "hr",
}


def read_html(data: bytes, source: str) -> Read:
    from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
    from bs4.dammit import UnicodeDammit

    dammit = UnicodeDammit(data, is_html=True)
    markup, encoding = dammit.unicode_markup, (dammit.original_encoding or "utf-8").lower()
    declared = (dammit.declared_html_encoding or "").lower().replace("_", "-")
    if not _utf8(data) and declared in ("", "utf-8", "utf8"):
        # Not UTF-8, whatever its meta tag says (a page saved in cp1252 under <meta
        # charset="utf-8">), or undeclared: a Latin page as a text file's is chosen (decode_text)
        # rather than bs4's guess ("Muñoz" read as windows-1250 "Muńoz", Turkish as iso8859-10);
        # any other reading of it is bs4's (the markup's ASCII leaves decode_text unsure).
        try:  # the page's code page is read off its text, not its markup (tags are ASCII)
            codec = decode_text(_TAGS.sub(b" ", data), source)[1]
        except DocsError:
            codec = ""
        if codec in _LATIN_CODECS:
            markup, encoding = data.decode(codec), codec
    if markup is None:
        raise DocsError(f"{source}: HTML whose encoding could not be determined, skipped")
    soup = BeautifulSoup(markup, "html.parser")
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text().split()) if title_tag else ""
    blocks: list[str] = []
    inline: list[str] = []

    def flush():
        text = " ".join("".join(inline).split())
        inline.clear()
        if text:
            blocks.append(text)

    def walk(node):
        for child in node.children:
            if isinstance(child, (Comment, Doctype)):
                continue
            if isinstance(child, NavigableString):
                inline.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in _DROP:
                continue
            if name == "br":
                inline.append(" ")
            elif re.fullmatch(r"h[1-6]", name):
                flush()
                text = " ".join(child.get_text(" ").split())
                if text:
                    blocks.append("#" * int(name[1]) + " " + text)
            elif name in ("ul", "ol"):
                flush()
                for li in child.find_all("li", recursive=False):
                    text = " ".join(li.get_text(" ").split())
                    if text:
                        blocks.append("- " + text)
                blocks.append("")  # the list ends here
            elif name == "table":
                flush()
                rows = [
                    [" ".join(c.get_text(" ").split()) for c in tr.find_all(["td", "th"], recursive=False)]
                    for tr in child.find_all("tr")
                ]
                blocks.append(_table(rows))
            elif name == "pre":
                flush()
                code = child.get_text().strip("\n")
                if code.strip():  # a fence longer than any run of backticks inside stays closed
                    fence = "`" * max(3, 1 + max((len(r) for r in re.findall("`+", code)), default=0))
                    blocks.append(f"{fence}\n{code}\n{fence}")
            elif name in _BLOCK or name == "li":
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(soup)
    flush()
    text = _join_blocks([b for b in blocks if b != ""])
    if not any(c.isalnum() for c in text):
        raise DocsError(f"{source}: HTML page with no visible text (only scripts, styles or markup), skipped")
    if not title:
        first = next((b for b in blocks if b.startswith("#")), "")
        title = first.lstrip("#").strip()
    return Read(text, f"html ({encoding})", "markdown", (), title)


_LATIN_CODECS = frozenset(codec for codec, _ in _LATIN_PAGES)
_TAGS = re.compile(rb"<[^<>]*>|&[#\w]+;")  # markup and character references


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# ---- Captions and transcripts -------------------------------------------------------------

# A cue's timing line, SRT or WebVTT, cue settings after it: "00:00:03,000 --> 00:00:06,000",
# "00:01.000 --> 00:04.000 align:start position:10%".
_CUE_TIMING = re.compile(
    r"[ \t]*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}[ \t]+-->[ \t]+(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}(?:[ \t].*)?"
)
_SRT_TIMING = re.compile(r"[ \t]*\d+:\d{1,2}:\d{1,2}[,.]\d+[ \t]*-->")  # webvtt-py's SRT reader wants hours
_WEBVTT = re.compile(r"WEBVTT(?:[ \t][^\n]*)?(?:\n|$)")
# A YouTube "copy transcript" time stamp alone on its line: "1:21", "1:02:03".
_STAMP = re.compile(r"[ \t]*(?:(\d{1,2}):)?(\d{1,2}):(\d{2})[ \t]*")
# The most seconds a transcript's lines are apart, at the median: a video's chapter list
# ("0:00 Intro", "3:45 Setup") is minutes apart, speech a few seconds.
_MAX_MEDIAN_GAP = 30
# A change of speaker within a cue's text: ">> " (YouTube), a dialogue dash, a "NAME:" label.
_TURN = re.compile(r"(?:>>|-)[ \t]+")
_LABEL = re.compile(r"[A-Z][\w.'-]*(?:[ \t][A-Z][\w.'-]*){0,2}:[ \t]")
_POSITION = re.compile(r"\{\\[^{}]*\}")  # SSA position codes players accept in SRT: "{\an8}"


def read_captions(data: bytes, source: str, kind: str) -> Read:
    """A .srt or .vtt file read as what is said in it (see `_spoken`); its bytes decoded as a
    text file's are. The file's own content names its kind when it differs from its suffix
    (WebVTT timings in a .srt file)."""
    text, codec = decode_text(data, source)
    text = universal_newlines(text)
    got = _spoken_read(text, codec, source, caption_kind(text) or kind)
    if got is None:
        raise DocsError(f"{source}: no captions in it (no cue with a timing line and text), skipped")
    return got


def caption_kind(text: str) -> str:
    """The kind of captions a text file is beyond doubt ("vtt", "srt", "transcript"), else "".

    WebVTT says so in its first line. SRT (or WebVTT without its header) is blocks of an
    optional cue number, a timing line and text: at least two, and at least nine of every
    ten blocks (every block for WebVTT without its header, whose reader drops any other), so
    a note quoting one cue or a line with an arrow is left as it is. A
    YouTube transcript is a time stamp alone on a line before each line of speech: at least
    three, a third of the lines, starting in the first minute, never going back in time,
    and seconds apart (`_MAX_MEDIAN_GAP`), so a schedule or a chapter list is not one.
    """
    body = text.lstrip("\ufeff")
    if _WEBVTT.match(body):
        return "vtt"
    if "-->" in body:
        blocks = [b.split("\n") for b in re.split(r"\n[ \t]*\n", body) if b.strip()]
        blocks = [[line for line in b if line.strip()] for b in blocks]
        cues = [b for b in blocks if any(_CUE_TIMING.fullmatch(line) for line in b[:2])]
        if len(cues) >= 2 and len(cues) >= 0.9 * len(blocks):
            srt = all(b[0].strip().isdigit() and len(b) > 1 and _SRT_TIMING.match(b[1]) for b in cues)
            if srt and blocks[0] is cues[0]:
                return "srt"  # webvtt-py's SRT reader keeps a block that is no cue, in the cue before it
            if len(cues) == len(blocks):
                return "vtt"  # its WebVTT reader skips one (as the standard says): only when there is none
    return "transcript" if _transcript(body) else ""


def _transcript(text: str) -> bool:
    """A YouTube "copy transcript": the rule `caption_kind` gives."""
    if not _STAMP.match(text.lstrip()):  # the first line is a stamp: most text files are told by it alone
        return False
    lines = [line for line in text.split("\n") if line.strip()]
    stamps = [(i, _STAMP.fullmatch(line)) for i, line in enumerate(lines)]
    stamps = [(i, m) for i, m in stamps if m]
    if len(stamps) < 3 or 3 * len(stamps) < len(lines) or stamps[0][0] != 0:
        return False
    if any(j == i + 1 for (i, _), (j, _) in zip(stamps, stamps[1:])) or stamps[-1][0] == len(lines) - 1:
        return False  # a stamp times the speech after it
    if any(int(m[3]) > 59 or (m[1] and int(m[2]) > 59) for _, m in stamps):
        return False
    seconds = [int(m[1] or 0) * 3600 + int(m[2]) * 60 + int(m[3]) for _, m in stamps]
    gaps = sorted(b - a for a, b in zip(seconds, seconds[1:]))
    if not (seconds[0] < 60 and gaps[0] >= 0 and gaps[len(gaps) // 2] <= _MAX_MEDIAN_GAP):
        return False
    # Speech runs on over its stamps, cut into windows of a few seconds: at most boundaries a
    # sentence goes on ("... the new bicycle shed which" / "will be built ..."). A list timed in
    # seconds (an interval workout, a night-bus timetable, a recipe's timers: "0:30" / "Sprint")
    # starts each entry anew, and its times are its content.
    said = [" ".join(lines[i + 1 : j]) for (i, _), (j, _) in zip(stamps, [*stamps[1:], (len(lines), None)])]
    runs_on = sum(
        not a.rstrip().endswith((".", "!", "?", ":")) and b.lstrip()[:1].islower() for a, b in zip(said, said[1:])
    )
    return 2 * runs_on >= len(said) - 1


_KIND_NAMES = {"srt": "SRT captions", "vtt": "WebVTT captions", "transcript": "a video transcript"}


def _spoken_read(text: str, codec: str, source: str, kind: str) -> Read | None:
    """The `Read` of captions of `kind` ("" or unreadable as that kind: None)."""
    if not kind:
        return None
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        cues, title = _cues(text.lstrip("\ufeff"), kind)
    except (MalformedFileError, MalformedCaptionError):
        return None
    spoken = _spoken(cues)
    if not any(c.isalnum() for c in spoken):
        return None
    return Read(spoken, f"{kind} ({codec})", "plain", (), title or source.rsplit("/", 1)[-1])


def _cues(text: str, kind: str) -> tuple[list[tuple[str, list[str]]], str]:
    """(speaker or "", text lines) of each cue, and the title a WebVTT header gives. SRT and
    WebVTT are parsed by webvtt-py, which drops cue numbers and ids, timings, cue settings,
    NOTE, STYLE and REGION blocks and cue tags (<v Speaker>, <c>, <i>), keeping the voice."""
    if kind == "transcript":
        cues: list[tuple[str, list[str]]] = []
        for line in text.split("\n"):
            if _STAMP.fullmatch(line):
                cues.append(("", []))
            elif cues and line.strip():
                cues[-1][1].append(line)
        return cues, ""
    import io

    import webvtt

    if kind == "vtt" and not _WEBVTT.match(text):
        text = "WEBVTT\n\n" + text
    captions = webvtt.from_buffer(io.StringIO(text), format=kind)
    title = (getattr(captions, "header_text", "") or "").strip(" \t-") if kind == "vtt" else ""
    return [(c.voice or "", c.text.split("\n")) for c in captions], title


def _spoken(cues: list[tuple[str, list[str]]]) -> str:
    """Cue texts as running text: a cue's lines and the cues after it joined by spaces, so a
    sentence said over two cues is one sentence; a new paragraph where the speaker changes
    (a WebVTT voice, written "Name: " once per turn; ">> ", a dialogue dash, a "NAME:" label).
    A line repeating the one before it is dropped: rolling captions show each line twice."""
    paragraphs: list[list[str]] = []
    voice, last = "", ""
    for who, lines in cues:
        for raw in lines:
            line = " ".join(html.unescape(_POSITION.sub("", raw)).split())
            if not line or line == last:
                continue
            last = line
            turn = _TURN.match(line)
            line = line[turn.end() :] if turn else line
            spoke = bool(who) and who != voice
            if spoke:
                voice, line = who, f"{who}: {line}"
            if not paragraphs or turn or spoke or _LABEL.match(line):
                paragraphs.append([])
            paragraphs[-1].append(line)
    return "\n\n".join(" ".join(p) for p in paragraphs)
