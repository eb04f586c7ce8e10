"""`PlotView`, the TUI's plot widget: draws at its own size, describes itself."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tutor.kernel.protocol import PlotData, Series
from tutor.pictures.plot_text import render_plot
from tutor.tui.widgets.plot_view import PlotView, plot_as_text

PLOT = PlotData(
    title="a line",
    series=(Series("y", (0.0, 1.0, 2.0), (0.0, 1.0, 4.0)),),
    summary="Plot 'a line': y; x from 0 to 2, y from 0 to 4; 3 points.",
)


class PlotApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PlotView(PLOT, id="plot")


def test_text_matches_the_plain_renderer() -> None:
    text = plot_as_text(PLOT, 50, 12)
    # plot_as_text keeps trailing spaces; render_plot strips them.
    assert [line.rstrip() for line in text.plain.split("\n")] == render_plot(PLOT, 50, 12)
    assert any(span.style == "blue" for span in text.spans)


async def test_widget_draws_at_its_size_and_has_a_summary_tooltip() -> None:
    app = PlotApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one("#plot", PlotView)
        await pilot.pause()
        assert view.content_size.width == 60 and view.content_size.height == 16
        rendered = view.render().plain.split("\n")
        assert [line.rstrip() for line in rendered] == render_plot(PLOT, 60, 16)
        assert view.tooltip == PLOT.summary
        view.plot = None
        await pilot.pause()
        assert view.render().plain == "" and view.tooltip is None
