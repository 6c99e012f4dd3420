"""A horizontal bar chart written as a PNG with numpy and zlib only (no plotting dependency).

Text uses a built-in 5x7 upper-case bitmap font, drawn at twice its size. Bars are on a log
scale, since the contenders differ by orders of magnitude.

    >>> chart = BarChart("demo", [("group", [("a", 1.0, 0), ("b", 10.0, 1)])])
    >>> chart.png()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass

import numpy as np

_GLYPHS = {
    "A": "01110 10001 10001 11111 10001 10001 10001", "B": "11110 10001 10001 11110 10001 10001 11110",
    "C": "01110 10001 10000 10000 10000 10001 01110", "D": "11110 10001 10001 10001 10001 10001 11110",
    "E": "11111 10000 10000 11110 10000 10000 11111", "F": "11111 10000 10000 11110 10000 10000 10000",
    "G": "01110 10001 10000 10111 10001 10001 01111", "H": "10001 10001 10001 11111 10001 10001 10001",
    "I": "01110 00100 00100 00100 00100 00100 01110", "J": "00111 00010 00010 00010 00010 10010 01100",
    "K": "10001 10010 10100 11000 10100 10010 10001", "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001", "N": "10001 10001 11001 10101 10011 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110", "P": "11110 10001 10001 11110 10000 10000 10000",
    "Q": "01110 10001 10001 10001 10101 10010 01101", "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110", "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110", "V": "10001 10001 10001 10001 10001 01010 00100",
    "W": "10001 10001 10001 10101 10101 10101 01010", "X": "10001 10001 01010 00100 01010 10001 10001",
    "Y": "10001 10001 01010 00100 00100 00100 00100", "Z": "11111 00001 00010 00100 01000 10000 11111",
    "0": "01110 10001 10011 10101 11001 10001 01110", "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00010 00100 01000 11111", "3": "11111 00010 00100 00010 00001 10001 01110",
    "4": "00010 00110 01010 10010 11111 00010 00010", "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110", "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110", "9": "01110 10001 10001 01111 00001 00010 01100",
    " ": "00000 00000 00000 00000 00000 00000 00000", ".": "00000 00000 00000 00000 00000 01100 01100",
    ",": "00000 00000 00000 00000 01100 00100 01000", "-": "00000 00000 00000 11111 00000 00000 00000",
    "_": "00000 00000 00000 00000 00000 00000 11111", ":": "00000 01100 01100 00000 01100 01100 00000",
    "(": "00010 00100 01000 01000 01000 00100 00010", ")": "01000 00100 00010 00010 00010 00100 01000",
    "/": "00001 00010 00010 00100 01000 01000 10000", ">": "01000 00100 00010 00001 00010 00100 01000",
    "<": "00010 00100 01000 10000 01000 00100 00010", "=": "00000 00000 11111 00000 11111 00000 00000",
    "%": "11001 11010 00010 00100 01000 01011 10011", "+": "00000 00100 00100 11111 00100 00100 00000",
    "?": "01110 10001 00001 00010 00100 00000 00100", "'": "00100 00100 01000 00000 00000 00000 00000",
}
_FONT = {ch: np.array([[c == "1" for c in row] for row in rows.split()], dtype=bool) for ch, rows in _GLYPHS.items()}
SCALE = 2
CHAR_W = 6 * SCALE
LINE_H = 10 * SCALE

PALETTE = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75)]
INK = (30, 30, 30)
GRID = (225, 225, 225)


def draw_text(img: np.ndarray, x: int, y: int, text: str, color=INK) -> None:
    for i, ch in enumerate(text.upper()):
        glyph = _FONT.get(ch, _FONT["?"])
        big = np.kron(glyph, np.ones((SCALE, SCALE), dtype=bool))
        x0 = x + i * CHAR_W
        region = img[y:y + big.shape[0], x0:x0 + big.shape[1]]
        if region.shape[:2] != big.shape:
            return
        region[big[:region.shape[0], :region.shape[1]]] = color


def encode_png(img: np.ndarray) -> bytes:
    """RGB uint8 array (h, w, 3) -> PNG bytes."""
    h, w, _ = img.shape
    raw = b"".join(b"\x00" + img[row].tobytes() for row in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


@dataclass
class BarChart:
    """Groups of bars ``(label, seconds or None, colour index[, text])``: None draws 'n/a'; the
    optional text replaces the printed value (e.g. ``>600S`` for a run stopped at its timeout)."""

    title: str
    groups: list[tuple[str, list[tuple[str, float | None, int]]]]
    width: int = 1100

    def png(self) -> bytes:
        label_w = CHAR_W * (max([len(b[0]) for _, bars in self.groups for b in bars] + [10]) + 3)
        bar_h, gap = LINE_H, LINE_H // 2
        height = LINE_H * 3 + sum(LINE_H + gap + len(bars) * (bar_h + 4) for _, bars in self.groups) + LINE_H * 3
        img = np.full((height, self.width, 3), 255, dtype=np.uint8)
        draw_text(img, 10, 10, self.title)
        values = [b[1] for _, bars in self.groups for b in bars if b[1]]
        lo = math.floor(math.log10(min(values))) if values else -2
        hi = math.ceil(math.log10(max(values))) if values else 2
        hi = max(hi, lo + 1)
        plot_x0, plot_x1 = label_w, self.width - CHAR_W * 16

        def xpos(v: float) -> int:
            return int(plot_x0 + (math.log10(v) - lo) / (hi - lo) * (plot_x1 - plot_x0))

        top, bottom = LINE_H * 3, height - LINE_H * 2
        for p in range(lo, hi + 1):
            x = xpos(10.0 ** p)
            img[top:bottom, x] = GRID
            tick = f"{10.0 ** p:g}S"
            draw_text(img, x - len(tick) * CHAR_W // 2, bottom + 4, tick)
        y = top
        for name, bars in self.groups:
            draw_text(img, 10, y, name)
            y += LINE_H + gap // 2
            for label, value, colour, *text in bars:
                draw_text(img, 20, y + 2, label)
                if value:
                    img[y:y + bar_h, plot_x0:max(plot_x0 + 1, xpos(value))] = PALETTE[colour % len(PALETTE)]
                    draw_text(img, max(plot_x0 + 1, xpos(value)) + 6, y + 2, text[0] if text else _seconds(value))
                else:
                    draw_text(img, plot_x0 + 6, y + 2, "N/A")
                y += bar_h + 4
            y += gap
        return encode_png(img)


def _seconds(v: float) -> str:
    return f"{v:.2f}S" if v < 10 else f"{v:.0f}S"
