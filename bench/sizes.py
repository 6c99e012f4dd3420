"""The problem sizes of docs/benchmarks.md, and the 1/100 versions that ``--quick`` runs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    """One benchmark input: ``spine`` training rows over ``events`` feature rows of ``entities`` keys."""

    spine: int
    events: int
    entities: int

    @property
    def label(self) -> str:
        return f"{_short(self.spine)} x {_short(self.events)} x {_short(self.entities)}"

    def scaled(self, factor: float) -> "Size":
        return Size(max(10, int(self.spine * factor)), max(10, int(self.events * factor)),
                    max(2, int(self.entities * factor)))


def _short(n: int) -> str:
    for unit, div in (("M", 1_000_000), ("k", 1_000)):
        if n >= div and n % (div // 10) == 0:      # 10M, 1.6M (the scale-out's doublings), 100k
            return f"{n / div:g}{unit}"
    return str(n)


# spine rows x events x entities, as the issue lists them; the first is the headline size.
FULL_SIZES = (
    Size(1_000_000, 10_000_000, 100_000),
    Size(100_000, 10_000_000, 1_000),
    Size(10_000_000, 1_000_000, 100_000),
)
QUICK_FACTOR = 0.01
WINDOWS_DAYS = (7, 30, 90)
DEMO_SCALES = (1, 10, 100)
QUICK_DEMO_SCALES = (0.1, 1)


def sizes(quick: bool) -> tuple[Size, ...]:
    return tuple(s.scaled(QUICK_FACTOR) for s in FULL_SIZES) if quick else FULL_SIZES
