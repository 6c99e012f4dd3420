"""The benchmark page's charts: grouped horizontal bars drawn by matplotlib (Agg backend) to PNG.

Bars are seconds on a log axis when the values span more than a decade (the contenders differ
by orders of magnitude), each bar labelled with its value; a contender that gave no time is
listed with "n/a", a stopped one with its own text (e.g. ``>600 s stopped``).

    >>> chart = BarChart("demo", [("group", [Bar("a", 1.0, 0), Bar("b", 10.0, 1)])])
    >>> chart.png()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]


@dataclass
class Bar:
    label: str
    seconds: float | None          # None: no result (failed, not run)
    colour: int = 0                # index into PALETTE
    text: str = ""                 # replaces the printed value (a stopped run: a lower bound)


@dataclass
class BarChart:
    """Groups of bars ``(group title, [Bar, ...])``, one block per group, top to bottom."""

    title: str
    groups: list[tuple[str, list[Bar]]] = field(default_factory=list)
    unit: str = "seconds"

    def values(self) -> list[float]:
        return [b.seconds for _, bars in self.groups for b in bars if b.seconds]

    def log_scale(self) -> bool:
        values = self.values()
        return bool(values) and max(values) / min(values) > 10

    def png(self, dpi: int = 110) -> bytes:
        import matplotlib

        matplotlib.use("Agg", force=True)
        from matplotlib.figure import Figure

        rows: list[tuple[str, Bar | None]] = []            # (label, bar); None = a group heading
        for title, bars in self.groups:
            rows.append((title, None))
            rows += [(b.label, b) for b in bars]
        height = 1.2 + 0.26 * max(1, len(rows))
        fig = Figure(figsize=(10, height), dpi=dpi)
        ax = fig.add_subplot()
        values = self.values()
        log = self.log_scale()
        floor = min(values) / 2 if values and log else 0.0
        positions = list(range(len(rows)))[::-1]
        for y, (label, bar) in zip(positions, rows):
            if bar is None:
                continue
            if bar.seconds:
                ax.barh(y, bar.seconds - floor, left=floor, color=PALETTE[bar.colour % len(PALETTE)], height=0.7)
            text = bar.text or (f"{bar.seconds:.2f}" if bar.seconds else "n/a")
            ax.text(bar.seconds or (floor if log else 0), y, " " + text, va="center", fontsize=8)
        ax.set_yticks(positions, [label for label, _ in rows], fontsize=8)
        for tick, (_, bar) in zip(ax.get_yticklabels(), rows):
            if bar is None:
                tick.set_fontweight("bold")
        if log:
            ax.set_xscale("log")
            ax.set_xlim(floor, max(values) * 4)
        elif values:
            ax.set_xlim(0, max(values) * 1.25)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_xlabel(f"{self.unit}{', log scale' if log else ''}")
        ax.set_title(self.title, fontsize=10)
        ax.grid(axis="x", color="#e1e1e1", which="both")
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
