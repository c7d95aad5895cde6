"""The trainer's freshness panel (issue 13): the day the content was last checked, the rules in
force on the sandbox date that end within 30 days (named, with their end day), and the rules
nobody could confirm. For the trainer's pages only (home, Settings): never a citizen's screen."""

from __future__ import annotations

import streamlit as st

from pages._ui.frame import sandbox_db, t
from workbench import clock, freshness, i18n
from workbench.sandbox import catalogue


def rule_name(rule_id: str, lang: str) -> str:
    """What a trainer calls the rule: "phí, lệ phí Đăng ký thường trú" for ``fee.thuong_tru``;
    the rule's id when it has no plainer name."""
    kind, _, procedure_id = rule_id.partition(".")
    if kind == "fee":
        try:
            return t("freshness.fee_of", procedure=catalogue.get(procedure_id)["name"][lang])
        except catalogue.UnknownProcedure:
            pass
    return rule_id


def show(lang: str) -> None:
    on = clock.now(sandbox_db()).date()
    checked = freshness.checked_until()
    if checked:
        st.caption(t("freshness.updated", date=i18n.format_date(checked, lang)))
    ending = freshness.ending_soon(on)
    for group in ending:
        st.warning(t("freshness.ending", document=group["document"], date=i18n.format_date(group["valid_to"], lang),
                     days=group["days_left"], rules=", ".join(rule_name(rule_id, lang) for rule_id in group["ids"])), icon=":material/event_busy:")
    unconfirmed = freshness.unconfirmed(on)
    if unconfirmed:
        with st.expander(t("freshness.unconfirmed_title", count=len(unconfirmed))):
            st.caption(t("freshness.unconfirmed_intro"))
            st.markdown("\n".join(f"- `{rule.id}` — {rule.source['document']}"
                                  + (f": {rule.note}" if rule.note else "") for rule in unconfirmed))
    st.caption(t("freshness.see_doc"))
