"""Maintain the word catalogs (`tutor/words/locale/*/LC_MESSAGES/tutor.po`).

    uv run python tools/words.py compile          # every .po -> .mo (what the tutor reads)
    uv run python tools/words.py add NEW.json     # add or replace messages, then compile
    uv run python tools/words.py unused           # ids no code says (candidates to delete)

NEW.json maps an id to its text per language: {"timeout-kept": {"en": "...", "zh": "..."}};
a plural message gives a list per language, one text per plural form
({"cells": {"en": ["{n} cell", "{n} cells"], "zh": ["{n} 个单元"]}}).
An id is used when the code says it (`say`, `say_count`), marks it (`N_`), or the
kernel sends it (`Said("hint.…", {...})`, said later by a frontend with `tell`).
Babel is a development dependency: the tutor itself reads the compiled catalogs with the
standard library's gettext.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "tutor" / "words" / "locale"
#: The functions whose argument 2 is a message id (`N_` marks one said later), and
#: `Said`, words the kernel sends to be said later (tutor/kernel/protocol.py).
KEYWORDS = {"say": (2,), "say_count": (2,), "N_": (1,), "Said": (1,)}


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "tutor.po"


def read(lang: str) -> Catalog:
    with po_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang, domain="tutor")


def write(catalog: Catalog, lang: str) -> None:
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, sort_output=True, omit_header=False, no_location=True)


def languages() -> list[str]:
    return sorted(path.parent.parent.name for path in LOCALE.glob("*/LC_MESSAGES/tutor.po"))


def compile_all() -> None:
    for lang in languages():
        catalog = read(lang)
        with po_path(lang).with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
        print(f"{lang}: {len(catalog)} messages")


def add(path: Path) -> None:
    entries: dict[str, dict[str, str | list[str]]] = json.loads(path.read_text("utf-8"))
    for lang in languages():
        catalog = read(lang)
        for msgid, texts in entries.items():
            text = texts.get(lang)
            if text is None:
                sys.exit(f"{msgid}: no {lang} text")
            if msgid in catalog:
                catalog.delete(msgid)
            if isinstance(text, list):
                catalog.add((msgid, msgid), tuple(text))
            else:
                catalog.add(msgid, text)
        write(catalog, lang)
    compile_all()


def said_by(path: Path) -> set[str]:
    """The literal message ids a module says (a module that uses the catalog)."""
    source = path.read_bytes()
    if b"tutor.words" not in source and b"Said(" not in source and path.parent.name != "words":
        return set()  # `say` here is something else
    found: set[str] = set()
    with path.open("rb") as handle:
        for _line, message, _comments, _context in extract(
            "python", handle, keywords=KEYWORDS, comment_tags=()
        ):
            found.add(message[0] if isinstance(message, tuple | list) else message)
    return found


def used_ids() -> set[str]:
    found: set[str] = set()
    for path in sorted((ROOT / "tutor").rglob("*.py")):
        found |= said_by(path)
    return found


def main(argv: list[str]) -> None:
    if argv[:1] == ["compile"]:
        compile_all()
    elif argv[:1] == ["add"] and len(argv) == 2:
        add(Path(argv[1]))
    elif argv[:1] == ["unused"]:
        used = used_ids()
        for message in read("en"):
            if message.id and (message.id[0] if message.pluralizable else message.id) not in used:
                print(message.id)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
