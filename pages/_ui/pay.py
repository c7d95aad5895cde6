"""Pieces the payment pages share: messages for PaymentError, the simulated app frame,
the passcode set-up form, the confirmation panel and the receipt download (issue 5)."""

from __future__ import annotations

import html

import streamlit as st

from pages._ui.frame import current_lang, page_link, t
from workbench import databases, i18n
from workbench.sandbox.payments import receipts, schema as payment_schema, wallet
from workbench import passwords

MONEY_PARAMS = ("balance", "amount", "missing")

CSS = """
<style>
.cds-app { border-radius: 14px; padding: .8rem 1rem; margin: .3rem 0 .8rem 0; }
.cds-app .cds-app-name { font-weight: 800; font-size: 1.15rem; }
.cds-app .cds-app-sub { font-size: .85rem; opacity: .9; }
.cds-panel { background: #00703c; color: #fff; border-radius: 8px; padding: 1rem 1.1rem; margin: .4rem 0 1rem 0;
  text-align: center; }
.cds-panel .cds-panel-title { font-size: 1.6rem; font-weight: 800; line-height: 1.2; }
.cds-panel .cds-panel-body { font-size: 1.05rem; margin-top: .35rem; word-break: break-word; }
.cds-warn-panel { background: #b58105; }
.cds-summary { width: 100%; border-collapse: collapse; margin: .2rem 0 .8rem 0; font-size: 1.02rem; }
.cds-summary th { text-align: left; font-weight: 600; color: #505a5f; padding: .45rem .5rem .45rem 0;
  vertical-align: top; width: 40%; border-bottom: 1px solid #d0d5d8; }
.cds-summary td { padding: .45rem 0; border-bottom: 1px solid #d0d5d8; word-break: break-word; }
.cds-summary td.cds-big { font-size: 1.3rem; font-weight: 800; }
.cds-sms { background: #f3f5f7; border: 1px solid #c7ced4; border-radius: 12px; padding: .6rem .8rem;
  margin: .3rem 0 .8rem 0; font-family: monospace; font-size: .95rem; word-break: break-word; }
.cds-sms b { font-family: sans-serif; }
.cds-typed-code { font-family: monospace; font-size: 2.6rem; font-weight: 800; letter-spacing: .12em;
  white-space: nowrap; line-height: 1.2; margin-bottom: .6rem; }
/* Big touch targets for the bank / wallet choice on a phone. */
div[role="radiogroup"] label { padding: .55rem .2rem; font-size: 1.05rem; min-height: 2.8rem; }
/* Streamlit's own "Press Enter to submit form" hint is English on a Vietnamese page: hide it. */
div[data-testid="InputInstructions"] { display: none; }
</style>
"""


def style() -> None:
    st.html(CSS)


def money(amount: int) -> str:
    return i18n.format_money(int(amount or 0), current_lang())


def error_text(error: payment_schema.PaymentError) -> str:
    messages = [t(key, **{k: money(v) if k in MONEY_PARAMS and isinstance(v, int) else v for k, v in params.items()})
                for key, params in error.problems]
    return messages[0] if len(messages) == 1 else "\n".join(f"- {m}" for m in messages)  # all at once (issue 14)


def show_error(error: payment_schema.PaymentError) -> None:
    st.error(error_text(error), icon=":material/error:")


def show_payment_refused(error: payment_schema.PaymentError, persona_id: str) -> None:
    """A refused payment's message, and the way to top up when the balance was short."""
    show_error(error)
    if error.reason == "insufficient_balance":
        page_link("pages/sandbox/wallet.py", label=t("payments.gateway.topup_link"), icon=":material/add_card:",
                  query_params={"p": persona_id})


def app_frame(provider: dict, persona: dict) -> None:
    """The header of the simulated bank / wallet app, in the fictional provider's colours."""
    st.html(
        f'<div class="cds-app" style="background:{provider["colour"]};color:{provider["text_colour"]}">'
        f'<div class="cds-app-name">{html.escape(t("payments.gateway.app_header", provider=provider["name"]))}</div>'
        f'<div class="cds-app-sub">{html.escape(t("payments.gateway.app_sub", name=persona["full_name"]))}</div>'
        f"</div>")


def summary(rows: list[tuple[str, str]], big: str | None = None) -> None:
    """A GOV.UK-style summary list; the row labelled ``big`` is drawn large (the amount)."""
    body = "".join(
        f'<tr><th scope="row">{html.escape(label)}</th>'
        f'<td class="{"cds-big" if label == big else ""}">{html.escape(str(value))}</td></tr>'
        for label, value in rows)
    st.html(f'<table class="cds-summary">{body}</table>')


def panel(title: str, body: str = "", warn: bool = False) -> None:
    st.html(
        f'<div class="cds-panel{" cds-warn-panel" if warn else ""}" role="status">'
        f'<div class="cds-panel-title">{html.escape(title)}</div>'
        + (f'<div class="cds-panel-body">{html.escape(body)}</div>' if body else "") + "</div>")


def sms(sender: str, text: str) -> None:
    st.html(f'<div class="cds-sms"><b>{html.escape(sender)}</b><br>{html.escape(text)}</div>')


def passcode_setup(db, persona: dict, key: str) -> bool:
    """True when the wallet has a passcode; otherwise draw the set-up form and return False."""
    if wallet.has_passcode(db, persona["id"]):
        return True
    st.header(t("wallet.setup.title"))
    st.write(t("wallet.setup.body"))
    with st.form(f"{key}_setup"):
        first = st.text_input(t("wallet.setup.passcode"), type="password", max_chars=passwords.PASSCODE_DIGITS, key=f"{key}_new")
        again = st.text_input(t("wallet.setup.confirm"), type="password", max_chars=passwords.PASSCODE_DIGITS, key=f"{key}_again")
        submitted = st.form_submit_button(t("wallet.setup.submit"), type="primary", width="stretch")
    if submitted:
        try:
            wallet.set_passcode(db, persona["id"], first, again)
        except payment_schema.PaymentError as error:
            show_error(error)
            return False
        st.rerun()
    return False


def receipt_button(db, payment_id: str, key: str) -> None:
    lang = current_lang()
    data = receipts.receipt_pdf(db, payment_id, lang, record=False)
    st.download_button(
        t("payments.gateway.receipt_download"), data=data, file_name=f"bien-lai-{payment_id}-MO-PHONG.pdf",
        mime="application/pdf", key=key, icon=":material/receipt_long:", width="stretch",
        on_click=_record_download, args=(payment_id,))


def _record_download(payment_id: str) -> None:

    receipts.record_download(databases.sandbox(), payment_id)

