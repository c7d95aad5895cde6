"""Streamlit's own English words and phone menu, fitted to our screens (issue 14, items 5 and 6).

Streamlit 1.67 draws some words itself, in English only, with no option to change them: the
file uploader's "Upload" button and "20MB per file • PNG, JPG" line, the "Press Enter to submit
form" and "6/6" line under text inputs, and the "Skip to main content" link. Its menu closes
after a choice only when the browser says it is a phone (user agent), not on every narrow screen.
This module is the one place that changes them: one style and one small script, injected by
``frame.page_setup``. Each rule names Streamlit's own ``data-testid``; when Streamlit changes
them, tests/browser/test_phone_menu_and_words.py fails.
"""

from __future__ import annotations

import json

import streamlit as st

from workbench import i18n

# The width below which Streamlit's sidebar covers the page (its theme's "md" breakpoint, 768px).
NARROW_PX = 768


def _css_string(text: str) -> str:
    """A locale string as a CSS string literal (``content: "…"``)."""
    return json.dumps(text, ensure_ascii=False)


def style(lang: str) -> str:
    """The one style: Streamlit's English hidden, our words from the locale put in its place.
    Every limit a hidden line stated is in our own label instead (``dossiers.documents.upload``)."""
    upload = _css_string(i18n.t("common.streamlit.upload", lang))
    return f"""<style>
/* The uploader's "Upload" button: our word instead (the icon stays). */
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button::after {{ content: {upload}; }}
/* "20MB per file • PNG, JPG": our label says the types and the limit the domain enforces. */
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
/* "Press Enter to submit form"/"to apply" and the "6/6" counter: the label says how many digits. */
[data-testid="stTextInput"] [data-testid="InputInstructions"],
[data-testid="stTextArea"] [data-testid="InputInstructions"],
[data-testid="stNumberInput"] [data-testid="InputInstructions"] {{ display: none; }}
/* The element holding this module's script takes no room on the page. */
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script#cds-streamlit-words) {{ display: none; }}
</style>"""


def script(lang: str) -> str:
    """The one script: the menu closes after a choice on a narrow screen, and the skip link
    speaks the page's language. Safe to run on every page: it installs its listener once."""
    skip = json.dumps(i18n.t("common.streamlit.skip_to_content", lang), ensure_ascii=False)
    upload = json.dumps(i18n.t("common.streamlit.upload", lang), ensure_ascii=False)
    return f"""<script id="cds-streamlit-words">
(function () {{
  var doc = document;
  var skip = doc.querySelector('[data-testid="stSkipToContent"]');
  if (skip) {{ skip.textContent = {skip}; skip.lang = {json.dumps(lang)}; }}
  doc.documentElement.lang = {json.dumps(lang)};
  // The uploader's button shows our word through CSS, which screen readers do not read: name it.
  window.cdsUploadWord = {upload};
  function nameUploadButtons() {{
    doc.querySelectorAll('[data-testid="stFileUploaderDropzone"] button').forEach(function (button) {{
      if (button.getAttribute("aria-label") !== window.cdsUploadWord) button.setAttribute("aria-label", window.cdsUploadWord);
    }});
  }}
  nameUploadButtons();
  if (window.cdsMenuClosesOnChoice) return;
  window.cdsMenuClosesOnChoice = true;
  new MutationObserver(nameUploadButtons).observe(doc.body, {{ childList: true, subtree: true }});
  doc.addEventListener("click", function (event) {{
    var link = event.target.closest && event.target.closest('[data-testid="stSidebarNav"] a');
    if (!link || window.innerWidth >= {NARROW_PX}) return;
    // Streamlit closes it itself when the browser says "phone": look after it has had its turn.
    setTimeout(function () {{
      var sidebar = doc.querySelector('[data-testid="stSidebar"]');
      var close = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (sidebar && sidebar.getAttribute("data-collapsed") === "false" && close) close.click();
    }}, 250);
  }}, true);
}})();
</script>"""


def inject(lang: str) -> None:
    """Called once a run by ``frame.page_setup``."""
    st.html(style(lang))  # only a style: Streamlit puts it where it takes no room
    st.html(script(lang), unsafe_allow_javascript=True)
