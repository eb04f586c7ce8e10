"""`PlotView`: a widget showing one `PlotData`, drawn to fit whatever size it is given.

The drawing is `tutor.pictures.plot_text` (the same picture `--plain` prints), coloured
here by role; the plot's one-line summary is the widget's tooltip for screen readers.
textual-plotext was not used: it would draw the TUI's plots differently from
line mode's and bring plotext's global state into the UI process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tutor.pictures.plot_text import plot_lines
from tutor.words import tell

if TYPE_CHECKING:
    from tutor.kernel.protocol import PlotData

#: Rich styles per role of `plot_lines` (series colours match `render_plot(color=True)`).
ROLE_STYLES = {
    "title": "bold",
    "axis": "dim",
    "ref": "dim",
    "s0": "blue",
    "s1": "red",
    "s2": "green",
    "s3": "magenta",
    "s4": "cyan",
    "s5": "yellow",
}


def plot_as_text(plot: PlotData, width: int, height: int, lang: str = "en") -> Text:
    """The plot as Rich `Text` of `height` lines and at most `width` cells, its words
    said in `lang`."""
    out = Text(no_wrap=True, overflow="crop")
    for i, line in enumerate(plot_lines(plot, width, height, lang=lang)):
        if i:
            out.append("\n")
        for text, role in line:
            out.append(text, style=ROLE_STYLES.get(role, ""))
    return out


class PlotView(Widget):
    """One plot, redrawn at the widget's size whenever the plot or the size changes."""

    DEFAULT_CSS = """
    PlotView {
        width: 1fr;
        height: 16;
    }
    """

    #: The plot shown; None shows nothing.
    plot: reactive[PlotData | None] = reactive(None, layout=False)

    def __init__(
        self,
        plot: PlotData | None = None,
        *,
        lang: str = "en",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        #: The learner's language, for the words the kernel sent with the plot.
        self.lang = lang
        self.set_reactive(PlotView.plot, plot)
        self._describe(plot)

    def watch_plot(self, plot: PlotData | None) -> None:
        self._describe(plot)

    def _describe(self, plot: PlotData | None) -> None:
        summary = tell(self.lang, plot.summary) if plot is not None else ""
        self.tooltip = summary or None

    def render(self) -> Text:
        plot = self.plot
        width, height = self.content_size.width, self.content_size.height
        if plot is None or width <= 0 or height <= 0:
            return Text()
        return plot_as_text(plot, width, height, self.lang)
