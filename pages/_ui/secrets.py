"""The persona's passwords and codes, drawn the same way everywhere (issue 14): the persona
card, the pay and wallet pages, the lesson's practice card and the trainer's boxes. The list
comes from one place, ``workbench.sandbox.persona_secrets``."""

from __future__ import annotations

import streamlit as st

from pages._ui.frame import current_lang, t
from workbench.sandbox import persona_secrets


def markdown_list(secrets: list[dict]) -> str:
    return "\n".join(f"- {label}: {text}" for label, text in persona_secrets.lines(secrets, current_lang()))


def persona_card(db, persona_id: str, *, expanded: bool = False) -> None:
    """The persona's secrets in a folded box: open it when a screen asks for one."""
    with st.expander(t("persona.secrets.title"), expanded=expanded, icon=":material/key:"):
        st.markdown(markdown_list(persona_secrets.secrets_of(db, persona_id)))
        st.caption(t("persona.secrets.note"))


def trainer_box(state: str) -> None:
    """What personas made in ``state`` will need, for the trainer to read out."""
    st.markdown(f"**{t('persona.secrets.trainer_title')}**")
    st.caption(t("persona.secrets.trainer_state", state=t(f"persona.state.{state}")))
    st.markdown(markdown_list(persona_secrets.secrets_for_state(state)))
