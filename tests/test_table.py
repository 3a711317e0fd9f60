import pytest

from autograd_tiny.table import Table


def test_text_aligns_first_column_left_and_numbers_right():
    table = Table.of(["name", "value"], [["x", "1.5"], ["long name", "10"]])
    assert table.text() == "name       value\nx            1.5\nlong name     10"


def test_explicit_alignment_and_indent():
    table = Table.of(["a", "b"], [["1", "22"]], align="ll")
    assert table.text(indent="  ") == "  a  b\n  1  22"


def test_html_escapes_every_cell():
    html = Table.of(["<x>"], [["a & b"]]).html()
    assert "&lt;x&gt;" in html and "a &amp; b" in html and "<x>" not in html


def test_rows_must_match_the_header():
    with pytest.raises(ValueError, match="row 0 has 1 cells, the header has 2"):
        Table.of(["a", "b"], [["1"]])
    with pytest.raises(ValueError, match="align needs"):
        Table.of(["a"], [["1"]], align="x")
