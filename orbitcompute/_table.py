"""Shared output methods of result tables (rows, pandas, CSV) built on ``columns()``."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Iterator


def write_text_safely(path: str | os.PathLike, text: str, *, overwrite: bool = False) -> None:
    """Write ``text`` to ``path`` atomically; refuse to replace a file unless ``overwrite``."""
    p = Path(path)
    if p.exists() and not overwrite:
        raise FileExistsError(f"{p} exists; pass overwrite=True to replace it, or choose another path")
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, p)


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
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.COLUMNS)
        for row in self.rows():
            w.writerow([row[c] for c in self.COLUMNS])
        text = buf.getvalue()
        if path is None:
            return text
        write_text_safely(path, text, overwrite=overwrite)
        return None
