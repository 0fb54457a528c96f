"""The stats chart: questions per day, answered, best guess and not answered stacked, as a PNG.

Matplotlib's object API with the Agg canvas, no pyplot: no global figure state, so drawing
in a worker thread (to keep the event loop free) is safe. Imported lazily: matplotlib costs
a noticeable fraction of a second, which only a moderator asking for stats should pay.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from bot.insights.queries import DayCount

ANSWERED_COLOUR = "#76B041"
GUESSED_COLOUR = "#F2A541"
UNANSWERED_COLOUR = "#E4572E"


def questions_chart(days: Sequence[DayCount], labels: tuple[str, str, str, str]) -> bytes:
    """PNG bytes. `labels` are (answered, best guess, not answered, title) in the moderator's
    language."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    answered_label, guessed_label, unanswered_label, title = labels
    figure = Figure(figsize=(8, 3.6), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = range(len(days))
    answered = [day.answered for day in days]
    guessed = [day.guessed for day in days]
    below_unanswered = [a + g for a, g in zip(answered, guessed, strict=True)]
    unanswered = [day.unanswered for day in days]
    axes.bar(positions, answered, color=ANSWERED_COLOUR, label=answered_label)
    axes.bar(positions, guessed, bottom=answered, color=GUESSED_COLOUR, label=guessed_label)
    axes.bar(positions, unanswered, bottom=below_unanswered, color=UNANSWERED_COLOUR, label=unanswered_label)
    step = max(1, len(days) // 10)
    axes.set_xticks(list(positions)[::step], [day.day[5:] for day in days][::step])
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_title(title)
    axes.legend(loc="upper left", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
