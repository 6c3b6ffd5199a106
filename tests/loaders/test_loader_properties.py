"""The Java-properties parser against java.util.Properties.load semantics."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kafkalint.loaders import properties
from kafkalint.loaders.properties import PropertiesSyntaxError, parse


def values(text: str) -> dict[str, str]:
    return parse(text).values()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a=b", {"a": "b"}),
        ("a:b", {"a": "b"}),
        ("a b", {"a": "b"}),
        ("a \t = \t b", {"a": "b"}),
        ("a = = b", {"a": "= b"}),  # only the first separator is one
        ("a::b", {"a": ":b"}),
        ("   a=b", {"a": "b"}),
        ("a=", {"a": ""}),
        ("a", {"a": ""}),
        ("a=b  ", {"a": "b  "}),  # Java keeps trailing blanks of a value
        ("a=b=c", {"a": "b=c"}),
        ("\fa=b", {"a": "b"}),
    ],
)
def test_separators(text: str, expected: dict[str, str]) -> None:
    assert values(text) == expected


def test_comments_and_blank_lines_are_skipped_and_kept_for_suppressions() -> None:
    parsed = parse("# one\n  ! two\n\n   \na=b # not a comment\n")
    assert parsed.values() == {"a": "b # not a comment"}
    assert parsed.comments == [(1, "# one"), (2, "! two")]


def test_a_comment_never_continues() -> None:
    assert values("# comment \\\na=b") == {"a": "b"}


def test_continuation_lines_drop_leading_blanks() -> None:
    assert values("a=one, \\\n    two, \\\n\tthree") == {"a": "one, two, three"}


def test_an_even_number_of_backslashes_does_not_continue() -> None:
    assert values("a=b\\\\\nc=d") == {"a": "b\\", "c": "d"}


def test_continuation_at_end_of_file() -> None:
    assert values("a=b\\") == {"a": "b"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"a=\t\n\r\f", {"a": "\t\n\r\f"}),
        (r"a=\u0041\u00e9", {"a": "Aé"}),
        (r"a\=b=c", {"a=b": "c"}),
        (r"a\:b:c", {"a:b": "c"}),
        (r"a\ b c", {"a b": "c"}),
        (r"a\#b=c", {"a#b": "c"}),
        (r"a=\q", {"a": "q"}),  # an unknown escape is the character itself
        (r"path=C:\\kafka", {"path": "C:\\kafka"}),
    ],
)
def test_escapes(text: str, expected: dict[str, str]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize("text", [r"a=\u00g1", r"a=\u12", "x=1\nb=\\uZZZZ"])
def test_a_malformed_unicode_escape_is_an_error_at_its_line(text: str) -> None:
    with pytest.raises(PropertiesSyntaxError) as error:
        parse(text)
    assert error.value.line == text.count("\n") + 1


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_and_line_numbers(newline: str) -> None:
    text = newline.join(["# c", "a=1", "b=two \\", "  lines", "", "c=3"])
    parsed = parse(text)
    assert parsed.values() == {"a": "1", "b": "two lines", "c": "3"}
    assert [(entry.key, entry.line) for entry in parsed.entries.values()] == [("a", 2), ("b", 3), ("c", 6)]


def test_column_is_where_the_key_starts() -> None:
    assert parse("   key=v").entries["key"].column == 4


def test_the_last_duplicate_wins_and_earlier_ones_are_recorded() -> None:
    parsed = parse("acks=0\nacks=all\n")
    assert parsed.values() == {"acks": "all"}
    assert parsed.entries["acks"].line == 2
    assert [(entry.value, entry.line) for entry in parsed.duplicates] == [("0", 1)]


def _store(key: str, value: str) -> str:
    """Escape like java.util.Properties.store: keys escape blanks, values leading blanks."""

    def escape(text: str, is_key: bool) -> str:
        out = []
        for index, char in enumerate(text):
            if char == " " and (is_key or index == 0):
                out.append("\\ ")
            elif char in "\\=:#!":
                out.append("\\" + char)
            elif char in "\t\n\r\f":
                out.append({"\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f"}[char])
            elif ord(char) < 0x20 or ord(char) > 0x7E:
                out.append(f"\\u{ord(char):04x}")
            else:
                out.append(char)
        return "".join(out)

    return f"{escape(key, True)}={escape(value, False)}"


_CHARS = st.characters(min_codepoint=1, max_codepoint=0xFFFF).filter(lambda char: not 0xD800 <= ord(char) <= 0xDFFF)
_TEXT = st.text(alphabet=_CHARS)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_TEXT.filter(bool), _TEXT, max_size=8))
def test_whatever_java_stores_reads_back(data: dict[str, str]) -> None:
    text = "\n".join(_store(key, value) for key, value in data.items())
    assert properties.parse(text).values() == data
