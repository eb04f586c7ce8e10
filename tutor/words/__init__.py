"""Every word the tutor shows a learner, from one gettext catalog per language.

A message is named by a stable id ("timeout-kept", "ui.key-help") and written out in
`locale/<lang>/LC_MESSAGES/tutor.po`, English included: the English catalog is the
source translators start from, the way Android or XLIFF catalogs work, so changing a
sentence never changes the code that says it. Templates use `str.format` fields
(`{limit:g}`); none of them is markup.

The compiled `tutor.mo` beside each `.po` is what runs (stdlib `gettext`, nothing to
install); it ships in the wheel. After editing a `.po`:

    uv run pybabel compile -d tutor/words/locale -D tutor

Adding a language is adding one directory, `locale/<lang>/LC_MESSAGES/tutor.po`
(copy the English one, translate every `msgstr`, compile), plus the lessons' own
`<lang>.md` files. `tests/test_words_catalog.py` proves every id has every language,
the same `{fields}`, a compiled catalog that matches its source, and a use in the code.

The sandboxed kernel never reads the catalog: it sends message ids and facts
(`tutor.kernel.protocol.Said`), and a frontend says them with `tell` when it shows them.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path
from typing import Any, Protocol

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "tutor"
#: The language every other one falls back to, and the catalog that defines the ids.
SOURCE_LANGUAGE = "en"


@cache
def languages() -> tuple[str, ...]:
    """The languages with a compiled catalog, the source language first."""
    found = sorted(
        path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")
    )
    return tuple(sorted(found, key=lambda lang: lang != SOURCE_LANGUAGE))


def language_or_default(lang: str) -> str:
    """`lang` when the tutor speaks it, else the source language."""
    return lang if lang in languages() else SOURCE_LANGUAGE


@cache
def _catalog(lang: str) -> gettext.NullTranslations:
    lang = language_or_default(lang)
    source = gettext.translation(DOMAIN, LOCALE_DIR, languages=[SOURCE_LANGUAGE])
    if lang == SOURCE_LANGUAGE:
        return source
    catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
    catalog.add_fallback(source)  # a message not yet translated is said in English
    return catalog


def say(lang: str, msgid: str, **facts: Any) -> str:
    """The message `msgid` in `lang`, its `{fields}` filled from `facts`."""
    text = _catalog(lang).gettext(msgid)
    return text.format(**facts) if facts else text


def say_count(lang: str, msgid: str, n: int, **facts: Any) -> str:
    """A message about `n` things, in the plural form `lang` uses for `n` (`{n}` filled)."""
    return _catalog(lang).ngettext(msgid, msgid, n).format(n=n, **facts)


class Saying(Protocol):
    """Words to say later: a message id and its facts (`tutor.kernel.protocol.Said`)."""

    @property
    def id(self) -> str: ...
    @property
    def facts(self) -> dict[str, Any]: ...


def tell(lang: str, said: Saying | str | None) -> str:
    """Words the kernel sent (a `Said`) in `lang`; a plain string as it is, None as "".

    A fact that is a `Said` itself is said first, a list is joined the way `lang` lists
    things. The id and facts come from the sandboxed kernel: an id the catalog does not
    know is shown as it is, never used as a template, and facts that do not fit the
    template leave the message unfilled rather than failing.
    """
    if said is None:
        return ""
    if isinstance(said, str):
        return said
    if not known(said.id):
        return said.id
    text = _catalog(lang).gettext(said.id)
    facts = {key: _fact_text(lang, value) for key, value in said.facts.items()}
    try:
        return text.format(**facts)  # always: a template's `{{` is a brace
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return text


def _fact_text(lang: str, value: Any) -> Any:
    if isinstance(value, list | tuple):
        return say(lang, "list-separator").join(str(_fact_text(lang, v)) for v in value)
    if hasattr(value, "id") and hasattr(value, "facts"):
        return tell(lang, value)
    return value


def known(msgid: str) -> bool:
    """True when the source catalog defines `msgid` (for ids built at run time)."""
    return _catalog(SOURCE_LANGUAGE).gettext(msgid) != msgid


def language_name(lang: str) -> str:
    """The language's own name for itself ("English", "简体中文")."""
    return say(lang, "language-name")


def N_(msgid: str) -> str:
    """Mark `msgid` as a message id said elsewhere (so the catalog test sees it used)."""
    return msgid
