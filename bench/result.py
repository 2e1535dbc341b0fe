"""One benchmark figure: our time (or rate) and the floor measured beside it in the same run.

Every module of ``bench/`` that ``bench/run.py`` drives has ``bench(url, size, repeat)``
returning a list of these; ``ratio`` is always "how many times the floor's cost" (for a rate,
the floor's rate over ours), so 1.0 is as fast as the floor and higher is slower.
"""

from dataclasses import dataclass

RATES = ("rows/s", "messages/s")


@dataclass
class Result:
    bench: str
    scenario: str
    ours: float
    floor: float | None = None
    unit: str = "ms"
    note: str = ""

    @property
    def ratio(self):
        if not self.floor or not self.ours:
            return None
        return self.floor / self.ours if self.unit in RATES else self.ours / self.floor

    def cells(self):
        """The figures as text: ours, floor, ratio ("" where there is none)."""
        figure = (lambda v: f"{v:,.0f}") if self.unit in RATES or self.ours >= 1000 else (lambda v: f"{v:,.1f}")
        ours = f"{figure(self.ours)} {self.unit}"
        floor = f"{figure(self.floor)} {self.unit}" if self.floor else ""
        return ours, floor, f"{self.ratio:.2f}x" if self.ratio else ""
