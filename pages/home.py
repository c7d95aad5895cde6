"""Home: what the workbench is, in three sentences, the QR code phones scan to open it, and for
the trainer how fresh the content is (issue 13: a rule that ends soon is named here)."""

import html

import streamlit as st

from pages._ui import glossary
from pages._ui import freshness
from pages._ui.frame import page_setup, t
from workbench import network, qr

lang = page_setup()
st.title(t("common.home.title"))
glossary.explain("eid_level2")
for n in (1, 2, 3):
    st.write(t(f"common.home.intro_{n}"))
if not (st.session_state.get("persona_id") or st.query_params.get("p")):
    # the trainer's laptop: a phone playing a persona (a workshop participant) lands here too,
    # and the content's freshness and unconfirmed rules are for trainers, not citizens
    freshness.show(lang)

left, right = st.columns([3, 2])
with left:
    st.header(t("common.home.areas_title"))
    for area in ("sandbox", "lessons", "workshop", "tracker"):
        st.markdown("- " + t(f"common.home.area_{area}"))
with right:
    st.header(t("common.home.join_title"))
    url = network.public_url()
    if url:
        st.image(qr.png(url, box_size=8), width=260, alt=t("common.home.join_qr_alt", url=url))
        st.caption(t("common.home.join_caption", url=url))
        # Large plain text, not st.code: st.code makes every phone fetch Streamlit's 1.5 MB code
        # highlighter (issue 14). Not a Markdown link either: people copy it, or type it.
        st.html(f"<p class='cds-address' style='font-size:1.5rem;font-weight:700;overflow-wrap:anywhere;"
                f"margin:0'>{html.escape(url)}</p>")
    else:
        st.warning(t("common.home.join_no_lan"))
