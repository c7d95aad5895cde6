"""No page draws HTML through Markdown (issue 14, the phones' first paint).

``st.markdown(..., unsafe_allow_html=True)`` makes every browser that shows the page fetch
Streamlit's rehype-raw, hastscript and web-namespaces bundles (~63 KB gzipped) on the hall's
shared wifi; ``st.html`` does the same job with DOMPurify, which the phones already load.
tests/browser/test_phone_fetches_no_markdown_html.py checks the bundles on a phone's journey;
this test finds a new call before any browser runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# any value but False: ``unsafe_allow_html=True`` and ``unsafe_allow_html=some_flag`` alike
HTML_IN_MARKDOWN = re.compile(r"unsafe_allow_html\s*=\s*(?!False\b)")


def test_no_page_renders_html_through_markdown():
    files = [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py"))]
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in files
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if HTML_IN_MARKDOWN.search(line)]
    assert not found, ("HTML through Markdown makes every phone fetch Streamlit's rehype-raw (~63 KB): "
                       "use st.html (values html.escape'd as before):\n" + "\n".join(found))
