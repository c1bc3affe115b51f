"""Shared output methods of result tables (rows, pandas, CSV) built on ``columns()``."""

from __future__ import annotations

import os
from typing import Iterator

from ._output import csv_text, write_text


class TableMixin:
    """Gives a class with ``COLUMNS`` and ``columns() -> dict`` rows, pandas and CSV output."""

    COLUMNS: tuple[str, ...] = ()

    def columns(self) -> dict:  # pragma: no cover - every table defines it
        raise NotImplementedError

    def rows(self) -> Iterator[dict]:
        """Iterate over rows as dicts keyed by ``COLUMNS`` (plain Python values)."""
        cols = self.columns()
        n = len(cols[self.COLUMNS[0]]) if self.COLUMNS else 0
        for k in range(n):
            yield {c: (cols[c][k].item() if hasattr(cols[c][k], "item") else cols[c][k]) for c in self.COLUMNS}

    def to_pandas(self):
        """A ``pandas.DataFrame`` with ``COLUMNS`` (requires pandas)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover
            raise ImportError("to_pandas needs pandas: pip install pandas (or use to_csv / rows())") from exc
        return pd.DataFrame(self.columns(), columns=list(self.COLUMNS))

    def to_csv(self, path: str | os.PathLike | None = None, *, overwrite: bool = False) -> str | None:
        """Write the table as CSV; return the text if ``path`` is None.

        Refuses to replace an existing file unless ``overwrite=True``; the file is
        written to a temporary name and renamed, so an interrupted write leaves no
        half file.
        """
        text = csv_text(self.rows(), self.COLUMNS)
        if path is None:
            return text
        write_text(path, text, overwrite=overwrite)
        return None
