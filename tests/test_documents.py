"""Reading a documents folder: titles, encodings, files that must be skipped with a warning."""

import os

import pytest

import rag
import rag.index
from rag.documents import guess_title, link_problem, load_changed, load_documents, read_document
from rag.errors import DocsError


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "9 February 2023, Thursday, 8:11\nMukhtar Ablyazov: Kazakhs Call Tokayev a Traitor\n\nBody.",
            "Mukhtar Ablyazov: Kazakhs Call Tokayev a Traitor",
        ),
        (
            "Tages Anzeiger: Nazarbayev\u2019s Regime Will Fall\n\nFor 30 years...",
            "Tages Anzeiger: Nazarbayev\u2019s Regime Will Fall",
        ),
        ("# A Markdown heading\n\ntext", "A Markdown heading"),
        # third round: closing hashes (after a BOM too) are no part of the title; a "#" inside it is
        ("\ufeff# Boiler Manual #\n\nThe pressure stays under 1.5 bar.", "Boiler Manual"),
        ("## C# Style Guide ##\n\ntext", "C# Style Guide"),
        (
            "Kazakh President Tokayev sent a clear message to citizens on Friday. How do you assess it?\nAnswer.",
            "f.txt",
        ),
        ("This is a sentence that ends with a full stop.\nMore.", "f.txt"),
        ("Single\n", "f.txt"),
        # siblings: a setext or reST title (underlined, or over- and underlined), after a BOM too
        ("Operations\n==========\n\nClearing\n--------\n\nText.", "Operations"),
        ("\ufeffGit Tips\n========\n\nText.", "Git Tips"),
        ("=====\nTitle\n=====\n\nBody.", "Title"),
        ("Too long a title for its rule\n===\n", "Too long a title for its rule"),
        # YAML front matter: its title, else the headline under it (never "---" or "title: ...")
        ("---\ntitle: The Orkney Seed Bank\nauthor: staff\n---\n\n# History\n\nText.", "The Orkney Seed Bank"),
        ('\ufeff---\ntitle: "Greenhouse Log"\n---\n\nThe west greenhouse grows melons.\n', "Greenhouse Log"),
        ("---\nauthor: staff\n---\n\n# History\n\nText.", "History"),
        ("---\n\nA sentence after a rule. More.", "f.txt"),
        # a JSON-lines log's first record is data, not a headline
        ('{"ts": "2024-05-01T10:00:00Z", "level": "info", "msg": "worker 1 started"}\n{"ts": 2}\n', "f.txt"),
        # a table's first row (after a BOM too) and tab-separated cells are data
        ("\ufeff| Item | Price |\n|---|---|\n| Latte | 3.10 |\n", "f.txt"),
        ("Name\tDepartment\tExtension\nAnna Berg\tSales\t214\n", "f.txt"),
    ],
)
def test_title_is_a_headline_or_the_file_name(text, expected):
    assert guess_title(text, "f.txt") == expected


def test_seed_titles():
    from conftest import SEEDS

    docs, warnings = load_documents(SEEDS)
    assert warnings == []
    titles = {d.source: d.title for d in docs}
    assert titles["000_cfb20d02cbb68263.txt"] == "Mukhtar Ablyazov: Kazakhs Call Tokayev a Traitor to the Nation"
    assert titles["004_5d244a4e81530a41.txt"] == "004_5d244a4e81530a41.txt"  # its first line is a question


def test_text_matches_what_open_returns(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes("Line one.\r\nLine two \u00e9.\rLine three.\n".encode())
    doc = read_document(p, "crlf.txt")
    assert doc.text == open(p, encoding="utf-8").read()


def test_non_utf8_is_decoded_with_a_declared_fallback(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("Caf\u00e9 au lait is served here.".encode("cp1252"))
    doc = read_document(p, "latin.txt")
    assert "Caf\u00e9" in doc.text
    assert "cp1252" in doc.warning and doc.encoding == "cp1252"


def test_unusable_files_are_skipped_with_a_warning_naming_them(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text("A perfectly good document about Almaty.")
    (docs / "empty.txt").write_text("")
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4")
    (docs / "ignored.exe").write_bytes(b"MZ")
    (docs / ".hidden.txt").write_text("hidden")
    outside = tmp_path / "secret.txt"
    outside.write_text("outside the folder")
    os.symlink(outside, docs / "link.txt")
    found, warnings = load_documents(docs)
    assert [d.source for d in found] == ["good.txt"]
    joined = "\n".join(warnings)
    for name in ("empty.txt", "binary.txt", "link.txt", "broken.pdf"):
        assert name in joined
    assert "ignored.exe" not in joined and ".hidden" not in joined


def test_a_file_name_that_is_not_utf8_is_skipped_and_the_others_read(tmp_path):
    # helper 79: one Latin-1 file name ("caf\xe9.txt") failed every question with an internal error
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "pool.txt").write_text("Children under 8 must be accompanied by an adult.")
    with open(os.path.join(os.fsencode(docs), b"caf\xe9.txt"), "wb") as f:
        f.write(b"Caf\xe9 Notes\nThe caf\xe9 opens at 8.\n")
    found, warnings = load_documents(docs)
    assert [d.source for d in found] == ["pool.txt"]
    assert warnings == [
        "caf\\xe9.txt: a file name that is not valid UTF-8, skipped (rename it, e.g. with convmv -f latin1 -t utf-8)"
    ]
    scan = load_changed(docs, lambda source: None)
    assert [d.source for d in scan.read] == ["pool.txt"] and scan.warnings == warnings and not scan.failed
    # helper 80: the index built beside it stays fresh (it was rescanned on every question)
    settings = rag.Settings(docs=docs, index=tmp_path / "index")
    rag.build_index(settings)
    assert rag.index.status(settings, rag.index.read_manifest(settings.index)["model"]) == "fresh"


@pytest.mark.parametrize("make", ["missing", "empty", "file"])
def test_missing_or_empty_folder_is_a_docs_error(tmp_path, make):
    target = tmp_path / "docs"
    if make == "empty":
        target.mkdir()
    elif make == "file":
        target.write_text("not a folder")
    with pytest.raises(DocsError):
        load_documents(target)


def test_links_that_lead_nowhere_are_named_for_what_they_are(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "real.txt").write_text("A real document.")
    (tmp_path / "secret.txt").write_text("outside the folder")
    links = {
        "self.txt": "self.txt",  # ln -s self.txt D/self.txt
        "ping.txt": "pong.txt",
        "pong.txt": "ping.txt",
        "gone.txt": "nothing-here.txt",
        "far-gone.txt": "/nonexistent/x.txt",
        "out.txt": str(tmp_path / "secret.txt"),
        "in.txt": "real.txt",
    }
    for name, target in links.items():
        (docs / name).symlink_to(target)
    root = docs.resolve()
    got = {name: link_problem(str(docs / name), root) for name in [*links, "real.txt"]}
    assert got == {
        "self.txt": "symlink loop (following it leads back to itself), skipped",
        "ping.txt": "symlink loop (following it leads back to itself), skipped",
        "pong.txt": "symlink loop (following it leads back to itself), skipped",
        "gone.txt": "broken link (its target nothing-here.txt does not exist), skipped",
        "far-gone.txt": "broken link (its target /nonexistent/x.txt does not exist), skipped",
        "out.txt": "symlink pointing outside the folder, not followed",
        "in.txt": "",
        "real.txt": "",
    }
    found, warnings = load_documents(docs)  # the walk never raises on them (it did: RuntimeError)
    assert sorted(d.source for d in found) == ["in.txt", "real.txt"]
    assert len(warnings) == 6


def test_a_linked_folder_out_is_named_and_one_inside_is_read_where_it_lies(tmp_path):
    # A newcomer's report: docs/shared -> ../shared held the answer, and nothing said its files
    # were never read (a file linked out was named; a folder linked out vanished in silence).
    docs, shared = tmp_path / "docs", tmp_path / "shared"
    (docs / "sub").mkdir(parents=True)
    shared.mkdir()
    (shared / "notes.txt").write_text("The sauna is closed for repairs until the end of March.")
    (docs / "gym.txt").write_text("The gym opens at 6 am.")
    (docs / "sub" / "towels.txt").write_text("Towels cost two pounds.")
    (docs / "shared").symlink_to("../shared")
    (docs / "again").symlink_to("sub")  # inside: its files are read once, under sub/
    out = "symlink to a folder outside the documents folder, not followed: its files are not indexed"
    assert link_problem(str(docs / "shared"), docs.resolve()) == out
    assert link_problem(str(docs / "again"), docs.resolve()) == ""
    found, warnings = load_documents(docs)
    assert [d.source for d in found] == ["gym.txt", "sub/towels.txt"]
    assert warnings == [f"shared: {out}"]
    scan = load_changed(docs, {}.get)  # the incremental ingest's walk says the same
    assert [d.source for d in scan.read] == ["gym.txt", "sub/towels.txt"] and scan.warnings == [f"shared: {out}"]


@pytest.mark.parametrize(
    "files, said",
    [
        # every file skipped: each is named with its reason, not only the first
        ({"a.txt": b"", "b.txt": b"\x00\x01\x02" * 40}, ["a.txt: empty file (0 bytes)", "b.txt: looks binary"]),
        # only formats no reader takes: they are named, so the message says what is there
        (
            {"letter.json": b'{"a": 1}', "photo.png": b"\x89PNG\r\n", "old.doc": b"\xd0\xcf"},
            ["letter.json", "photo.png"],
        ),
        ({}, ["(it is empty)"]),
    ],
)
def test_a_folder_with_nothing_to_index_says_what_it_holds(tmp_path, files, said):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, data in files.items():
        (docs / name).write_bytes(data)
    with pytest.raises(DocsError) as err:
        rag.build_index(rag.Settings(docs=docs, index=tmp_path / "index"))
    assert "no readable documents" in str(err.value) and all(s in str(err.value) for s in said), err.value
    assert not (tmp_path / "index" / "CURRENT").exists()
    with pytest.raises(DocsError) as err:  # the whole-folder reader says the same
        load_documents(docs)
    assert all(s in str(err.value) for s in said), err.value
