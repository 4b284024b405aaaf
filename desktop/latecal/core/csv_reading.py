"""Reading a CSV file someone made elsewhere (a spreadsheet, another scheduler) into a header and rows.

The bytes decide the encoding (a UTF-8 or UTF-16 byte-order mark, UTF-16 without one, UTF-8, else Latin-1 /
Windows-1252) and the header line decides the delimiter (comma, semicolon or tab). A file that is no text at
all, too big, or broken mid-quote is refused as a whole with ``CsvUnreadable``: nothing of it is imported.
Rows are numbered as Late numbers them (``rowIndex``): 1 is the first non-blank row under the header.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

#: a bigger file is refused before it is read (a 50 MB export still fits)
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Late's own cap per bulk upload (late-api.md §2.11); the preview holds this many comfortably
MAX_ROWS = 5000
DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass(frozen=True, slots=True)
class CsvProblem:
    """What is wrong, where: ``row`` 0 is the file (or its header), ``column`` "" the whole row."""

    row: int
    column: str
    message: str


class CsvUnreadable(Exception):
    """The file as a whole cannot be imported; ``problem`` says why (and where, when a place is known)."""

    def __init__(self, problem: CsvProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class SourceRow:
    index: int  # Late's rowIndex: 1-based among non-blank data rows
    line: int  # the line of the file it starts on (quoted newlines make rows span lines)
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CsvTable:
    header: tuple[str, ...]
    rows: tuple[SourceRow, ...]
    encoding: str
    delimiter: str
    digest: str  # SHA-256 of the file's bytes: with a row's index, the import's idempotency key

    def with_header(self, names: tuple[str, ...]) -> CsvTable:
        """The same file read as having no header line: its first line is row 1, columns named ``names`` (and
        "Column N" beyond them)."""
        width = max([len(self.header), *(len(r.cells) for r in self.rows)])
        header = tuple(names[i] if i < len(names) else f"Column {i + 1}" for i in range(width))
        first = SourceRow(1, 1, self.header)
        rows = (first, *(SourceRow(r.index + 1, r.line, r.cells) for r in self.rows))
        return CsvTable(header, rows, self.encoding, self.delimiter, self.digest)

    @property
    def delimiter_name(self) -> str:
        return _DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))


def read_csv_file(path: Path | str) -> CsvTable:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CsvUnreadable(CsvProblem(0, "", f"{path.name} is {size / 1024 / 1024:.0f} MB; import files "
                                                  f"of up to {MAX_FILE_BYTES // 1024 // 1024} MB (split it)."))
        data = path.read_bytes()
    except OSError as exc:
        raise CsvUnreadable(CsvProblem(0, "", f"Cannot read {path.name}: {exc.strerror or exc}.")) from None
    return parse_csv_bytes(data)


def parse_csv_bytes(data: bytes) -> CsvTable:
    if len(data) > MAX_FILE_BYTES:
        raise CsvUnreadable(CsvProblem(0, "", f"The file is over {MAX_FILE_BYTES // 1024 // 1024} MB; split it."))
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    header, rows = _split_rows(text, delimiter)
    return CsvTable(header, rows, encoding, delimiter, hashlib.sha256(data).hexdigest())


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the name of its encoding; ``CsvUnreadable`` for what is not text."""
    if data.startswith(codecs.BOM_UTF8):
        return _decoded(data[len(codecs.BOM_UTF8):], "utf-8", "UTF-8 (with BOM)")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decoded(data, "utf-16", "UTF-16")
    head = data[:4096]
    if head and head.count(0) * 4 >= len(head):  # UTF-16 without a mark: every other byte of ASCII text is 0
        odd_zeros = head[1::2].count(0) >= head[0::2].count(0)
        return _decoded(data, "utf-16-le" if odd_zeros else "utf-16-be", "UTF-16")
    _refuse_binary(data)
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252 (Latin-1)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def _decoded(data: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1 if codec == "utf-8" else None
        where = f" (line {line})" if line else ""
        raise CsvUnreadable(CsvProblem(0, "", f"The file says it is {name} but is not valid {name}{where}; "
                                              "save it again as UTF-8 CSV.")) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise CsvUnreadable(CsvProblem(0, "", "The file holds binary data, not CSV text; save it as CSV."))
    return text, name


_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 13))


def _refuse_binary(data: bytes) -> None:
    head = data[:65536]
    controls = len(head) - len(head.translate(None, _CONTROLS))
    if b"\x00" in head or (head and controls * 20 > len(head)):
        raise CsvUnreadable(CsvProblem(0, "", "This is not a CSV text file (it holds binary data). Export the "
                                              "sheet as CSV (comma, semicolon or tab separated) and try again."))


def sniff_delimiter(text: str) -> str:
    """The delimiter the header line uses most (outside quotes); a comma when it has none."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in text[:65536]:
        if ch == '"':
            quoted = not quoted
        elif ch == "\n" and not quoted:
            if any(counts.values()):
                break
        elif ch in counts and not quoted:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _split_rows(text: str, delimiter: str) -> tuple[tuple[str, ...], tuple[SourceRow, ...]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: tuple[str, ...] | None = None
    rows: list[SourceRow] = []
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue  # blank lines (and rows of empty cells) are not rows
            if header is None:
                header = tuple(cell.strip() for cell in cells)
                continue
            if len(rows) == MAX_ROWS:
                raise CsvUnreadable(CsvProblem(len(rows) + 1, "", f"The file has more than {MAX_ROWS:,} rows (line "
                                                                  f"{start}); import at most {MAX_ROWS:,} at a time."))
            rows.append(SourceRow(len(rows) + 1, start, tuple(cells)))
    except csv.Error as exc:
        row = len(rows) + (1 if header is not None else 0)
        raise CsvUnreadable(CsvProblem(row, "", f"The CSV is broken near line {reader.line_num} ({exc}); a quote "
                                                "may be missing its closing quote.")) from None
    if header is None:
        raise CsvUnreadable(CsvProblem(0, "", "The file is empty: there is no header line and no rows."))
    return header, tuple(rows)
