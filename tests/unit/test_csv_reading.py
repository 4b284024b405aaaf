"""Reading CSV files as people save them: encodings, delimiters, quoted newlines, blank lines, ragged rows, a
big file, and what is no CSV at all (refused whole, with the reason and the place)."""

from __future__ import annotations

import codecs

import pytest

from latecal.core.csv_reading import MAX_ROWS, CsvUnreadable, parse_csv_bytes, read_csv_file

TEXT = "post_content,platforms,schedule_time\nCafé crème ☕,twitter,2027-01-02 10:00\n"


@pytest.mark.parametrize(("data", "encoding"), [
    (TEXT.encode("utf-8"), "UTF-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "UTF-8 (with BOM)"),
    (TEXT.encode("utf-16"), "UTF-16"),  # with its byte-order mark
    (TEXT.encode("utf-16-le"), "UTF-16"),  # without one
    (TEXT.encode("utf-16-be"), "UTF-16"),
])
def test_unicode_encodings_are_read_with_or_without_a_mark(data, encoding):
    table = parse_csv_bytes(data)
    assert table.encoding == encoding
    assert table.header == ("post_content", "platforms", "schedule_time")
    assert table.rows[0].cells == ("Café crème ☕", "twitter", "2027-01-02 10:00")


def test_latin_1_is_read_when_the_bytes_are_not_utf_8():
    table = parse_csv_bytes("post_content\nCafé à Zürich\n".encode("latin-1"))
    assert table.encoding.startswith("Windows-1252")
    assert table.rows[0].cells == ("Café à Zürich",)


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab"), (",", "comma")])
def test_the_delimiter_is_found_from_the_header(delimiter, name):
    data = delimiter.join(["post_content", "platforms", "schedule_time"]) + "\n"
    data += delimiter.join(['"Hello, world; again"', "twitter", "2027-01-02 10:00"]) + "\n"
    table = parse_csv_bytes(data.encode())
    assert table.delimiter_name == name
    assert table.rows[0].cells[0] == "Hello, world; again"


def test_quoted_newlines_stay_in_their_cell_and_blank_lines_are_no_rows():
    data = b'post_content,platforms\r\n\r\n"first line\r\nsecond line",twitter\r\n,\r\n\r\nnext,bluesky\r\n'
    table = parse_csv_bytes(data)
    assert [r.cells for r in table.rows] == [("first line\r\nsecond line", "twitter"), ("next", "bluesky")]
    assert [r.index for r in table.rows] == [1, 2]  # Late's rowIndex: blank rows are not counted
    assert [r.line for r in table.rows] == [3, 7]


def test_a_quote_left_open_names_where_the_file_breaks():
    with pytest.raises(CsvUnreadable) as caught:
        parse_csv_bytes(b'post_content,platforms\nok,twitter\n"never closed,twitter\n')
    assert caught.value.problem.row == 2
    assert "missing its closing quote" in caught.value.problem.message


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    bytes(range(256)) * 64,
    b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + b"\x00\x01\x02" * 100,  # an .xlsx renamed .csv
])
def test_a_binary_file_named_csv_is_refused_with_a_clear_message(data):
    with pytest.raises(CsvUnreadable) as caught:
        parse_csv_bytes(data)
    assert caught.value.problem.row == 0
    assert "not a CSV text file" in caught.value.problem.message or "binary" in caught.value.problem.message


def test_an_empty_file_is_refused():
    with pytest.raises(CsvUnreadable, match="empty"):
        parse_csv_bytes(b"\n\n")


def test_more_rows_than_late_takes_are_refused_naming_the_first_row_too_many():
    data = "post_content\n" + "".join(f"row {i}\n" for i in range(MAX_ROWS + 1))
    with pytest.raises(CsvUnreadable) as caught:
        parse_csv_bytes(data.encode())
    assert caught.value.problem.row == MAX_ROWS + 1
    assert f"more than {MAX_ROWS:,} rows" in caught.value.problem.message


def test_a_50_mb_file_is_read(tmp_path):
    big_text = "x" * 10_000
    rows = "".join(f'"{big_text} {i}",twitter,2027-01-02 10:00\n' for i in range(5000))
    path = tmp_path / "big.csv"
    path.write_text("post_content,platforms,schedule_time\n" + rows, encoding="utf-8")
    assert path.stat().st_size > 50_000_000
    table = read_csv_file(path)
    assert len(table.rows) == 5000
    assert table.rows[-1].cells[0].endswith(" 4999")


def test_a_file_that_cannot_be_opened_is_named(tmp_path):
    with pytest.raises(CsvUnreadable, match=r"Cannot read missing\.csv"):
        read_csv_file(tmp_path / "missing.csv")


def test_the_digest_changes_with_the_content():
    assert parse_csv_bytes(TEXT.encode()).digest != parse_csv_bytes((TEXT + "a,b,c\n").encode()).digest
