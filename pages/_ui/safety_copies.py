"""The copies of tracker.db taken before each restore, newest first (issue 15, item 1).

Shown where a restore is made (Settings) and on the tracker's admin page, so an official who
restored the wrong file sees at once which copy holds the data from before, and how many people.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from pages._ui import plain
from pages._ui.frame import t
from workbench import i18n
from workbench.tracker import backup


def show(copies: list[dict] | None = None) -> None:
    """A table of the safety copies (``backup.safety_copies()`` unless given)."""
    copies = backup.safety_copies() if copies is None else copies
    st.markdown(f"**{t('tracker.backup.copies_title')}**")
    if not copies:
        st.caption(t("tracker.backup.copies_none"))
        return
    st.dataframe(pd.DataFrame([{
        t("tracker.backup.col.made"): _when(c["made"]),
        t("tracker.backup.col.citizens"): "?" if c["citizens"] is None else f"{c['citizens']:,}".replace(",", "."),
        t("tracker.backup.col.file"): c["name"]} for c in copies]), hide_index=True, width="stretch")
    st.caption(t("tracker.backup.copies_where", folder=plain.md(backup.backup_folder())))


def _when(iso: str) -> str:
    made = dt.datetime.fromisoformat(iso)
    return f"{i18n.format_date(made.date())} {made:%H:%M:%S}"
