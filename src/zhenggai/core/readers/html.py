"""A web page saved as HTML (``.html``, or a text that carries a page's markup): its text, a line a
block, for the text reader to read as it reads any copy of a page.

Offices and citizens keep a published report as the page it was published on ("网页，全部" in a
browser). Its text is the report, between the site's chrome: block elements (paragraphs, headings,
list items, divisions, line breaks) end a line, a table's cells are parted by tabs and its rows by
line ends (the text reader reads tab-parted lines as a table), scripts and styles and the page's
``<head>`` are left out, and character references (``&nbsp;``, ``&ldquo;``, ``&#8220;``) are read
as the characters they stand for. The standard library's tolerant parser reads broken markup too
(imported when a page comes: ``zhenggai parse`` on a text file starts without it).

A text that is no page but holds a few references (a scraped text saved with ``&nbsp;&nbsp;``
before each paragraph) has those read as their characters, nothing else changed.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from zhenggai.core.lazy_re import lazy

# Elements that end a line of text before and after them.
_BLOCK = frozenset(
    "p div br li ul ol dl dt dd tr table thead tbody tfoot caption h1 h2 h3 h4 h5 h6 title "
    "section article header footer nav aside main blockquote pre hr form fieldset address "
    "figure figcaption center".split()
)
# Elements whose text is no part of the page's text.
_SKIP = frozenset("head script style noscript template svg iframe object select button".split())
_CELL = frozenset(("td", "th"))
# A page's markup: a few tags of the block elements above (a text quoting one tag is no page).
_TAG = lazy(r"</?(?:p|div|br|td|tr|li|h[1-6]|table|span|body|html)\b[^<>]{0,400}>", re.IGNORECASE)
MARKUP_TAGS = 3
# A character reference written out in full (&nbsp; &ldquo; &#8220; &#x201C;): read only where a
# text holds a few of them, so that a stray "&" (R&D, A&B公司) stays as it is.
_REFERENCE = lazy(r"&(?:[A-Za-z][A-Za-z0-9]{1,7}|#\d{2,7}|#[xX][0-9A-Fa-f]{2,6});")
REFERENCES = 2
_SPACES = lazy(r"[ \t\r\n\f]+")


def holds_markup(text: str) -> bool:
    """Whether ``text`` is a page's markup (a few block tags) rather than text."""
    if "<" not in text:
        return False
    return sum(1 for _ in zip(range(MARKUP_TAGS), _TAG.finditer(text), strict=False)) >= MARKUP_TAGS


def page_text(markup: str) -> str:
    """The text of a page: a line a block, a table's cells parted by tabs, references read."""
    reader = _page_text_reader()()
    reader.feed(markup)
    reader.close()
    lines = "".join(reader.parts).split("\n")
    return "\n".join(line.strip(" ").rstrip("\t") for line in lines)


def text_with_references_read(text: str) -> str:
    """``text`` with its character references read (&nbsp; → a no-break space, &ldquo; → “) when it
    holds a few; as it is otherwise."""
    if "&" not in text or len(_REFERENCE.findall(text)) < REFERENCES:
        return text
    import html

    return _REFERENCE.sub(lambda match: html.unescape(match.group(0)), text)


@cache
def _page_text_reader() -> Any:
    """The parser class (html.parser imported on the first page read)."""
    from html.parser import HTMLParser

    class PageText(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skipping = 0  # depth inside elements whose text is left out
            self.preformatted = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "body":
                self.skipping = 0  # (a <head> never closed ends where the body opens)
            elif tag in _SKIP:
                self.skipping += 1
            elif tag in _BLOCK:
                self.parts.append("\n")
                if tag == "pre":
                    self.preformatted += 1

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in _BLOCK:  # <br/>, <hr/>: one line end
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in _SKIP:
                self.skipping = max(0, self.skipping - 1)
            elif tag in _CELL:
                if not self.skipping:
                    self.parts.append("\t")
            elif tag in _BLOCK:
                self.parts.append("\n")
                if tag == "pre":
                    self.preformatted = max(0, self.preformatted - 1)

        def handle_data(self, data: str) -> None:
            if self.skipping:
                return
            # (white space in a page's text is one space, line ends too, except in <pre>)
            self.parts.append(data if self.preformatted else _SPACES.sub(" ", data))

    return PageText
