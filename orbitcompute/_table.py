"""Shared output methods of result tables (rows, pandas, CSV) built on ``columns()``; the
rows of columns as the package's one CSV writer (:func:`orbitcompute._output.csv_lines`)
takes them (:func:`csv_rows`); streamed tables written chunk by chunk
(:class:`TableWriter`, CSV or Parquet row groups)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Iterator

from ._output import csv_lines, write_text
from .errors import InputError


def csv_rows(cols: Mapping[str, Any], names: Sequence[str]) -> Iterator[list]:
    """The rows of a dict of columns as lists of plain Python values, ready for
    :func:`~orbitcompute._output.csv_lines`: numpy scalars become Python ones (so floats are written as their
    shortest round-trip ``repr``, and bools as ``True``/``False``)."""
    lists = [c.tolist() if hasattr(c, "tolist") else [v.item() if hasattr(v, "item") else v for v in c]
             for c in (cols[k] for k in names)]
    return map(list, zip(*lists))


def encode_chunk(cols: Mapping[str, Any], names: Sequence[str], format: str) -> tuple[Any, int]:
    """The rows of a dict of columns encoded for :meth:`TableWriter.write_chunk`: CSV text
    (no header) or a ``pyarrow.Table``, and the number of rows.  Pure, so it can run on a
    worker, next to the search that made the rows."""
    n = len(cols[names[0]]) if names else 0
    if format == "csv":
        return csv_lines(csv_rows(cols, names)), n
    import pyarrow as pa

    return pa.table({k: cols[k] for k in names}), n


class TableWriter:
    """Write a table chunk by chunk to CSV or Parquet, atomically.

    The rows go to a temporary file in the target directory, renamed into place by
    :meth:`close`; an error or interrupt before that removes the temporary file, so no half
    file is ever left under ``path``.  An existing ``path`` is refused (before anything is
    written, and again just before the rename) unless ``overwrite``.

    Parameters
    ----------
    path : path-like
        The file to write.
    names : sequence of str
        The columns, in order (the CSV header).
    format : {"csv", "parquet"}
        CSV through :func:`csv_rows` (the writer of ``to_csv``), or one Parquet row group
        per non-empty :meth:`write` (needs pyarrow: ``pip install "orbitcompute[parquet]"``).
    overwrite : bool
        Replace an existing file.
    metadata : dict of str, optional
        Key-value metadata stored in the Parquet schema (ignored for CSV).
    """

    def __init__(self, path, names: Sequence[str], *, format: str = "csv", overwrite: bool = False,
                 metadata: Mapping[str, str] | None = None):
        if format not in ("csv", "parquet"):
            raise InputError(f"format: expected 'csv' or 'parquet', got {format!r}")
        self.path = Path(path)
        self.names = tuple(names)
        self.format = format
        self.overwrite = overwrite
        self.rows = 0
        self.chunks = 0
        if format == "parquet":
            try:
                import pyarrow  # noqa: F401
                import pyarrow.parquet  # noqa: F401
            except ImportError as exc:
                raise InputError(f"format='parquet' ({self.path}): needs pyarrow, which is not installed; "
                                 "pip install \"orbitcompute[parquet]\", or write format='csv'") from exc
        self._refuse_existing()
        if self.path.is_dir():
            raise InputError(f"path: {self.path} is a directory; give a file path")
        if not self.path.parent.is_dir():
            raise InputError(f"path: cannot write {self.path}: the directory {self.path.parent} does not exist; "
                             "create it or choose another path")
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        self._pq = None
        self._closed = False
        self._schema_meta = dict(metadata or {})
        try:
            if format == "csv":
                self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
                self._fh.write(csv_lines([], self.names))
            else:
                os.close(fd)
                self._fh = None
        except BaseException:
            self.abort()
            raise

    def _refuse_existing(self) -> None:
        if self.path.exists() and not self.overwrite:
            raise FileExistsError(f"{self.path} exists; nothing was written. Pass overwrite=True (--force on the "
                                  "command line) to replace it, or choose another path")

    def write(self, cols: Mapping[str, Any]) -> int:
        """Append the rows of a dict of columns (keys: at least ``names``); return their number."""
        return self.write_chunk(*encode_chunk(cols, self.names, self.format))

    def write_chunk(self, chunk: Any, n: int) -> int:
        """Append a chunk made by :func:`encode_chunk` with this writer's names and format."""
        try:
            if self.format == "csv":
                self._fh.write(chunk)
            elif n:
                import pyarrow.parquet as pq

                table = chunk
                if self._pq is None:
                    schema = table.schema.with_metadata({str(k): str(v) for k, v in self._schema_meta.items()})
                    self._pq = pq.ParquetWriter(self._tmp, schema)
                self._pq.write_table(table.cast(self._pq.schema))
        except BaseException:
            self.abort()
            raise
        self.rows += n
        self.chunks += 1
        return n

    def close(self) -> Path:
        """Finish the file and rename it into place; return its path."""
        try:
            if self.format == "csv":
                self._fh.close()
            else:
                if self._pq is None:  # no rows: an empty table with the columns
                    self._empty_parquet()
                self._pq.close()
            self._refuse_existing()  # a file that appeared meanwhile is not replaced either
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self._tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
            os.replace(self._tmp, self.path)
        except BaseException:
            self.abort()
            raise
        self._closed = True
        return self.path

    def size(self) -> int:
        """Bytes written so far (of the final file once closed)."""
        if self._closed:
            return os.path.getsize(self.path)
        if self._fh is not None:
            self._fh.flush()
        return os.path.getsize(self._tmp)

    def _empty_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([(k, pa.string()) for k in self.names], metadata=self._schema_meta)
        self._pq = pq.ParquetWriter(self._tmp, schema)

    def abort(self) -> None:
        """Drop the temporary file (the target is left as it was)."""
        for closer in (getattr(self, "_fh", None), getattr(self, "_pq", None)):
            try:
                if closer is not None:
                    closer.close()
            except Exception:  # pragma: no cover - already failing: keep the first error
                pass
        self._fh = self._pq = None
        Path(self._tmp).unlink(missing_ok=True)

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


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
        text = csv_lines(csv_rows(self.columns(), self.COLUMNS), self.COLUMNS)
        if path is None:
            return text
        write_text(path, text, overwrite=overwrite)
        return None
