"""Bar charts drawn on the server as SVG geometry: no JavaScript, no CDN.

The functions only compute coordinates; ``templates/includes/bar_chart.html`` draws them.
Every bar carries its number as text, and bars are hatched and outlined, so the chart reads
without colour (and each chart is followed by a table of the same figures).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    value_y: float


def _scale(values):
    return max([*values, 1])


def horizontal_bars(rows, *, width=640, row_height=26, label_width=230):
    """[(label, value)] → (bars, view box height): one row per label, longest bar = full width."""
    top = max(v for _l, v in rows) if rows else 0
    biggest = _scale([top])
    room = width - label_width - 50
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * row_height + 4
        length = room * value / biggest
        bars.append(
            Bar(
                label=str(label),
                value=value,
                x=label_width,
                y=y,
                width=round(length, 1),
                height=row_height - 8,
                label_x=label_width - 8,
                label_y=y + (row_height - 8) / 2 + 4,
                value_x=round(label_width + length + 6, 1),
                value_y=y + (row_height - 8) / 2 + 4,
            )
        )
    return bars, len(rows) * row_height + 4


def vertical_bars(rows, *, width=640, height=220, bottom=28, top=20):
    """[(label, value)] → bars in columns, value printed above, label below."""
    biggest = _scale([v for _l, v in rows])
    slot = width / max(len(rows), 1)
    room = height - bottom - top
    bars = []
    for index, (label, value) in enumerate(rows):
        bar_height = room * value / biggest
        x = index * slot + slot * 0.15
        y = top + room - bar_height
        bars.append(
            Bar(
                label=str(label),
                value=value,
                x=round(x, 1),
                y=round(y, 1),
                width=round(slot * 0.7, 1),
                height=round(bar_height, 1),
                label_x=round(index * slot + slot / 2, 1),
                label_y=height - 8,
                value_x=round(index * slot + slot / 2, 1),
                value_y=round(y - 5, 1),
            )
        )
    return bars, height
