"""A payment waiting for a persona (issue 14): the phone's camera opens a desk QR in a fresh
tab that knows no persona; the learner goes to the persona page, and once a persona is chosen
or made, comes back to the same payment instead of starting over."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

PAY_PAGE = "pages/sandbox/pay.py"
WAITING = "pay_waiting_token"  # the scanned token, kept in this browser session


def waiting_token() -> str | None:
    """The token of a payment this browser scanned before it had a persona, if any."""
    return (st.query_params.get("t") or st.session_state.get(WAITING) or "").strip() or None


def back_to_payment(persona_id: str) -> None:
    """After choosing a persona: return to the waiting payment (never returns), or do nothing."""
    token = waiting_token()
    if not token:
        return
    st.session_state.pop(WAITING, None)
    st.query_params.pop("t", None)
    try:
        st.switch_page(PAY_PAGE, query_params={"t": token, "p": persona_id})
    except StreamlitPageNotFoundError:  # AppTest runs the page alone, without the app's navigation
        st.session_state["pay_return_target"] = {"t": token, "p": persona_id}
