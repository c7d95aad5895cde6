"""The simulated e-wallet and bank app (issue 5): balance, top-up from the fake bank account,
history, linking to VNeID and receiving the home social benefit, scam awareness, and the
trainer's failure scenarios."""

import datetime as dt

import streamlit as st

from pages._ui import glossary
from pages._ui import pay as ui, secrets, wallet_scan
from pages._ui.frame import current_lang, page_link, page_setup, sandbox_db, t
from pages._ui.persona import require_persona
from workbench import passwords
from workbench.sandbox import scams
from workbench.sandbox.payments import ledger, providers, scenario_settings, wallet
from workbench.sandbox.payments import schema as payment_schema

page_setup(sandbox=True)
ui.style()
st.title(t("wallet.title"))
glossary.explain("eid_level2", "passcode", "payee")
db = sandbox_db()
persona = require_persona(db)
pid = persona["id"]
lang = current_lang()
wallet.ensure_accounts(db, pid)
wallet_provider = providers.provider(ledger.account(db, ledger.wallet_id(pid))["provider_id"])
bank = providers.provider(ledger.account(db, ledger.bank_id(pid))["provider_id"])

ui.app_frame(wallet_provider, persona)
secrets.persona_card(db, pid)
if not ui.passcode_setup(db, persona, key="wallet"):
    st.stop()
wallet_scan.scan_box(db, pid)  # first, as in a real wallet app: most come here to pay a QR

one, two = st.columns(2)
one.metric(t("wallet.wallet_balance"), ui.money(wallet.wallet_balance(db, pid)))
two.metric(t("wallet.bank_balance", bank=bank["short"]), ui.money(wallet.bank_balance(db, pid)))
st.caption(t("payments.fictional_note"))
notice = st.session_state.pop("wallet_notice", None)
if notice:
    st.success(notice, icon=":material/check_circle:")

topup, history, benefit, scam_tab, trainer = st.tabs(
    [t("wallet.tabs.topup"), t("wallet.tabs.history"), t("wallet.tabs.benefit"), t("wallet.tabs.scams"),
     t("wallet.tabs.trainer")])

with topup:
    st.header(t("wallet.topup.title"))
    with st.form("topup"):
        amount = st.number_input(t("wallet.topup.amount"), min_value=0, max_value=10_000_000, step=10_000, value=None,
                                 key="topup_amount")
        secret = st.text_input(t("wallet.passcode"), type="password", max_chars=passwords.PASSCODE_DIGITS,
                               key="topup_passcode")
        submitted = st.form_submit_button(t("wallet.topup.submit"), type="primary", width="stretch")
    if submitted:
        if not amount:
            st.error(t("wallet.error.amount_empty"), icon=":material/error:")
        elif not passwords.is_passcode((secret or "").strip()):
            st.error(t("payments.error.passcode_empty"), icon=":material/error:")
        else:
            try:
                new_balance = wallet.top_up(db, pid, int(amount), secret.strip())
            except payment_schema.PaymentError as error:
                ui.show_error(error)
            else:  # draw again so the balances at the top are the new ones
                st.session_state["wallet_notice"] = t("wallet.topup.done", amount=ui.money(int(amount)),
                                                      balance=ui.money(new_balance))
                st.rerun()

with history:
    st.header(t("wallet.history.title"))
    lines = ledger.history(db, pid)
    if not lines:
        st.write(t("wallet.history.empty"))
    for line in lines:
        when = dt.datetime.fromisoformat(line["at"]).strftime("%H:%M %d/%m/%Y")
        what = t(f"wallet.history.kind_{line['kind']}")
        where = t(f"wallet.history.account_{line['account_kind']}")
        detail = f" · {line['reference']}" if line.get("reference") else ""
        sign = "+" if line["amount"] > 0 else "−"
        colour = "green" if line["amount"] > 0 else "red"
        st.markdown(f"**{what}** ({where}){detail}  \n:{colour}[**{sign}{ui.money(abs(line['amount']))}**] · {when}")

with benefit:
    st.header(t("wallet.benefit.title"))
    st.write(t("wallet.benefit.body"))
    if wallet.is_linked(db, pid):
        st.success(t("wallet.benefit.linked"), icon=":material/link:")
        st.caption(t("wallet.benefit.pay_hint"))
        if st.button(t("wallet.benefit.pay", amount=ui.money(wallet.BENEFIT_AMOUNT)), key="benefit_pay",
                     width="stretch", icon=":material/volunteer_activism:"):
            new_balance = wallet.receive_benefit(db, pid, actor="trainer")
            st.session_state["wallet_notice"] = t("wallet.benefit.paid", amount=ui.money(wallet.BENEFIT_AMOUNT),
                                                  balance=ui.money(new_balance))
            st.rerun()
    else:
        st.info(t("wallet.benefit.not_linked"), icon=":material/link_off:")
        if st.button(t("wallet.benefit.link"), key="benefit_link", type="primary", width="stretch",
                     icon=":material/link:"):
            try:
                wallet.link_vneid(db, pid)
            except payment_schema.PaymentError as error:
                ui.show_error(error)
                page_link("pages/sandbox/phone.py", label=t("wallet.benefit.eid_link"),
                             icon=":material/smartphone:", query_params={"p": pid})
            else:
                st.rerun()

with scam_tab:
    st.header(t("wallet.scams.title"))
    st.write(t("wallet.scams.body"))
    for item in scams.examples():
        with st.container(border=True):
            heading = t("wallet.scams.sms" if item["kind"] == "sms" else "wallet.scams.call", sender=item["sender"])
            st.markdown(f"**{heading}**")
            ui.sms(item["sender"], item["text"])
            with st.expander(t("wallet.scams.flags")):
                for flag in item[f"flags_{lang}"]:
                    st.markdown(f"- {flag}")
                st.markdown(f"**{t('wallet.scams.what_to_do')}:** {item[f'do_{lang}']}")
            left, right = st.columns(2)
            if left.button(t("wallet.scams.recognise"), key=f"scam_ok_{item['id']}", width="stretch"):
                scams.recognised(db, pid, item["id"])
                st.success(t("wallet.scams.recognised"), icon=":material/verified_user:")
            if item["kind"] == "sms" and right.button(t("wallet.scams.send"), key=f"scam_send_{item['id']}",
                                                      width="stretch"):
                scams.send_sms(db, pid, item["id"])
                st.info(t("wallet.scams.sent"), icon=":material/sms:")
    st.header(t("wallet.scams.fake_page_title"))
    st.write(t("wallet.scams.fake_page_body"))
    with st.form("fake_page"):
        typed = st.text_input(t("wallet.scams.fake_page_otp"), max_chars=12, key="fake_page_otp")
        sent = st.form_submit_button(t("wallet.scams.fake_page_submit"), width="stretch")
    if sent:
        if scams.flag_otp(db, pid, typed, where="fake_page"):
            st.error(t("wallet.scams.fake_page_caught"), icon=":material/gpp_bad:")
        else:
            st.warning(t("wallet.scams.fake_page_warn"), icon=":material/gpp_maybe:")

with trainer:
    st.header(t("wallet.trainer.title"))
    st.caption(t("wallet.trainer.body"))
    low = scenario_settings.scenario("insufficient_balance")["balance"]
    a, b, c = st.columns(3)
    if a.button(t("wallet.trainer.low_balance", amount=ui.money(low)), key="scenario_low", width="stretch"):
        wallet.arm_scenario(db, pid, "insufficient_balance")
        st.rerun()
    if b.button(t("wallet.trainer.timeout"), key="scenario_timeout", width="stretch"):
        wallet.arm_scenario(db, pid, "timeout")
        st.success(t("wallet.trainer.done"), icon=":material/check_circle:")
    if c.button(t("wallet.trainer.unlock"), key="scenario_unlock", width="stretch"):
        wallet.unlock(db, pid)
        st.success(t("wallet.trainer.unlocked"), icon=":material/lock_open:")
    rows = [{t("wallet.trainer.table_id"): s[f"title_{lang}"], t("wallet.trainer.table_trigger"): s[f"trigger_{lang}"],
             t("wallet.trainer.table_sees"): s[f"learner_sees_{lang}"]} for s in scenario_settings.scenarios_file()["scenarios"]]
    for row in rows:
        with st.expander(row[t("wallet.trainer.table_id")]):
            st.markdown(f"**{t('wallet.trainer.table_trigger')}:** {row[t('wallet.trainer.table_trigger')]}")
            st.markdown(f"**{t('wallet.trainer.table_sees')}:** {row[t('wallet.trainer.table_sees')]}")
