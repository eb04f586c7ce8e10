"""The word catalogs: every id in every language, the same fields, compiled, and used."""

from __future__ import annotations

import gettext
import string
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from tutor.words import LOCALE_DIR, SOURCE_LANGUAGE, languages, say, say_count

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import words as words_tool  # noqa: E402


def _po(lang: str) -> Catalog:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "tutor.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def _texts(message: object) -> list[str]:
    text = message.string  # type: ignore[attr-defined]
    return list(text) if isinstance(text, tuple) else [text]


def _key(message: object) -> str:
    msgid = message.id  # type: ignore[attr-defined]
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


CATALOGS = {lang: _po(lang) for lang in languages()}
SOURCE = {_key(m): m for m in CATALOGS[SOURCE_LANGUAGE] if m.id}


def test_every_po_has_a_compiled_catalog_and_english_comes_first() -> None:
    on_disk = sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/tutor.po"))
    assert sorted(languages()) == on_disk
    assert languages()[0] == SOURCE_LANGUAGE
    assert {"en", "zh"} <= set(languages())


@pytest.mark.parametrize("lang", [lang for lang in languages() if lang != SOURCE_LANGUAGE])
def test_every_id_has_every_language_with_the_same_fields(lang: str) -> None:
    catalog = CATALOGS[lang]
    ids = {_key(m) for m in catalog if m.id}
    assert ids == set(SOURCE), f"missing in {lang}: {set(SOURCE) - ids}; extra: {ids - set(SOURCE)}"
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, f"{lang}: {_key(message)} is fuzzy"
        texts = _texts(message)
        assert all(texts), f"{lang}: {_key(message)} is not translated"
        source = _texts(SOURCE[_key(message)])
        expected = set().union(*(_fields(t) for t in source))
        assert all(_fields(t) <= expected for t in texts), f"{lang}: {_key(message)} fields"
        assert set().union(*(_fields(t) for t in texts)) == expected, _key(message)
        assert message.pluralizable == SOURCE[_key(message)].pluralizable, _key(message)


@pytest.mark.parametrize("lang", languages())
def test_the_compiled_catalog_matches_its_source(lang: str) -> None:
    mo = LOCALE_DIR / lang / "LC_MESSAGES" / "tutor.mo"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = CATALOGS[lang]
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            for index, text in enumerate(_texts(message)):
                n = 1 if index == 0 else (2 if len(_texts(message)) > 1 else 1)
                assert compiled.ngettext(_key(message), _key(message), n) in _texts(message)
                assert text
        else:
            assert compiled.gettext(message.id) == message.string, (
                f"{lang}: {message.id} differs: run `uv run python tools/words.py compile`"
            )
    assert len(compiled._catalog) - 1 == sum(  # type: ignore[attr-defined]
        len(_texts(m)) if m.pluralizable else 1 for m in catalog if m.id
    ), f"{lang}: tutor.mo is stale: run `uv run python tools/words.py compile`"


def test_every_id_the_code_says_is_in_the_catalog_and_every_id_is_said() -> None:
    used = words_tool.used_ids()
    assert used - set(SOURCE) == set(), "said but not in the catalog"
    assert set(SOURCE) - used == set(), "in the catalog but no code says it"


def test_an_unknown_language_or_id_falls_back_rather_than_failing() -> None:
    assert say("xx", "language-name") == say(SOURCE_LANGUAGE, "language-name")
    assert say("zh", "no-such-id") == "no-such-id"
    assert say("zh", "language-name") != say("en", "language-name")
    assert say_count("en", "no-such-id", 3) == "no-such-id"
