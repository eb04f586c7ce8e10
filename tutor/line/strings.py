"""The line tutor's own words: its message ids, said from the word catalog (`tutor.words`).

The line tutor names a message by its key ("check-passed"); its id in the catalog is
"line." + the key, and its texts, in every language, live in the catalog's `.po` files.
`MESSAGES` lists every id, so the catalog's test sees each one said. The languages and
their names come from the catalog too (`languages`, `language_name`).
"""

from __future__ import annotations

from typing import Any

from tutor import words
from tutor.words import N_, language_name, languages

__all__ = ["MESSAGES", "language_name", "languages", "say", "say_count", "yes_replies"]

PREFIX = "line."

#: Every message the line tutor says (plural ones, said with `say_count`, included).
MESSAGES = (
    N_("line.answer-usage"),
    N_("line.bye"),
    N_("line.cells"),
    N_("line.check-failed"),
    N_("line.check-passed"),
    N_("line.col-dtype"),
    N_("line.col-gradient"),
    N_("line.col-kind"),
    N_("line.col-name"),
    N_("line.col-shape"),
    N_("line.col-value"),
    N_("line.confirm-reset"),
    N_("line.confirm-solution"),
    N_("line.did-you-mean"),
    N_("line.earlier-cells"),
    N_("line.end-of-course"),
    N_("line.exercise"),
    N_("line.exercise-howto"),
    N_("line.goto-usage"),
    N_("line.help-commands"),
    N_("line.help-end"),
    N_("line.help-hint"),
    N_("line.help-intro"),
    N_("line.help-table"),
    N_("line.here"),
    N_("line.hint"),
    N_("line.hint-label"),
    N_("line.hint-offer"),
    N_("line.interrupting"),
    N_("line.kernel-dead"),
    N_("line.kernel-restarting"),
    N_("line.lang-missing"),
    N_("line.lang-set"),
    N_("line.lang-usage"),
    N_("line.lesson-end"),
    N_("line.lesson-end-hints"),
    N_("line.lesson-end-next"),
    N_("line.lesson-end-passed"),
    N_("line.lesson-end-revealed"),
    N_("line.lesson-end-stay"),
    N_("line.lesson-reset"),
    N_("line.lesson-header"),
    N_("line.lessons-title"),
    N_("line.loading"),
    N_("line.no-exercise"),
    N_("line.no-hint"),
    N_("line.no-hints"),
    N_("line.no-lessons"),
    N_("line.no-question"),
    N_("line.no-solution"),
    N_("line.no-such-variable"),
    N_("line.no-variables"),
    N_("line.not-shown"),
    N_("line.number-howto"),
    N_("line.outcome-crashed"),
    N_("line.outcome-interrupted"),
    N_("line.outcome-killed"),
    N_("line.outcome-timeout"),
    N_("line.predict-howto"),
    N_("line.question"),
    N_("line.question-howto"),
    N_("line.replay-offer"),
    N_("line.replayed"),
    N_("line.restarted"),
    N_("line.scalar"),
    N_("line.solution"),
    N_("line.start-of-course"),
    N_("line.starter"),
    N_("line.starting"),
    N_("line.status"),
    N_("line.status-attempted"),
    N_("line.status-passed"),
    N_("line.status-revealed"),
    N_("line.unknown-command"),
    N_("line.unknown-lesson"),
    N_("line.vars-title"),
    N_("line.welcome"),
    N_("line.yes-replies"),
)


def say(lang: str, key: str, **values: Any) -> str:
    """One phrase, its fields filled in."""
    return words.say(lang, PREFIX + key, **values)


def yes_replies() -> set[str]:
    """What answers yes to a [y/N] question, in any language the tutor speaks."""
    return {reply for lang in languages() for reply in words.say(lang, "line.yes-replies").split()}


def say_count(lang: str, key: str, n: int, **values: Any) -> str:
    """A phrase about `n` things, in the plural form `lang` uses ("1 earlier cell", "3 earlier cells")."""
    return words.say_count(lang, PREFIX + key, n, **values)
