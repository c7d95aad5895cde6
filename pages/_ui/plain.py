"""Data shown as the text it is, wherever Streamlit reads Markdown (issue 15, item 8).

``st.markdown``, ``st.caption``, ``st.write`` of a string, alerts, titles, widget labels and
progress texts all read their text as Markdown. A citizen named ``**X**`` showed in bold, and one
named ``![i](http://…)`` made the browser of everyone who opened the page fetch that address.
Every value that comes from the tracker's data or from what someone typed (names of people,
villages, teams and targets, usernames, display names, typed values echoed in an error) goes
through ``md()`` before it is put into such a text; tables (``st.dataframe``) and the options
of a select box show plain text already and need nothing.
"""

from __future__ import annotations

import re

# Characters that start Markdown (or Streamlit's own :color[…], :icon:, $math$) anywhere in a
# line; a backslash makes each one literal (CommonMark: any ASCII punctuation may be escaped).
# ":" is among them so that "http://" is never whole, and no address becomes a link or an image.
_INLINE = re.compile(r"([\\`*_\[\]!|~$:{}])")
# Characters with a meaning only at the start of a line: a heading, a quote, a list item.
_LINE_START = re.compile(r"^([#>+\-=]|\d+[.)])")
# HTML is never rendered (no unsafe_allow_html), but "<img" must not even reach the browser.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md(value) -> str:
    """``value`` as Markdown that shows exactly its text: no formatting, no link, no image."""
    typed = " ".join(str("" if value is None else value).split())  # one line: no block can start
    typed = "".join(_ENTITIES.get(ch, ch) for ch in typed)
    typed = _INLINE.sub(r"\\\1", typed)
    return _LINE_START.sub(lambda m: m[1][:-1] + "\\" + m[1][-1], typed)


def params(values: dict) -> dict:
    """Every text parameter of a message escaped with ``md()``; numbers stay numbers, so a
    message may still format them (``{amount:,}``)."""
    return {name: md(value) if isinstance(value, str) else value for name, value in values.items()}
