"""Pieces the citizen's filing pages and the desk share: status badges, the document picker,
messages in the reader's language. Drawing only; every decision is in workbench.sandbox.dossiers."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from pages._ui.frame import current_lang, refusal_text, t
from workbench import i18n
from workbench.sandbox import catalogue, documents, photos
from workbench.sandbox.dossiers import citizen, records, schema as dossier_schema

STATUS_COLOURS = {
    "submitted": "blue", "received": "blue", "processing": "violet", "supplement_requested": "orange",
    "awaiting_payment": "orange", "result_ready": "green", "returned": "green", "refused": "gray",
    "overdue": "red", "draft": "gray",
}

CSS = """
<style>
.cds-panel { background: #00703c; color: #fff; padding: 1.2rem 1rem; border-radius: 6px; text-align: center;
  margin: .5rem 0 1rem 0; }
.cds-panel h2 { color: #fff; margin: 0 0 .6rem 0; font-size: 1.6rem; }
.cds-panel .cds-code { font-size: 1.45rem; font-weight: 800; letter-spacing: .05em; word-break: break-all; }
.cds-badge { display: inline-block; padding: .1rem .55rem; border-radius: 1rem; font-weight: 700; font-size: .9rem;
  color: #fff; }
</style>
"""


def money(amount: int) -> str:
    return i18n.format_money(int(amount or 0), current_lang())


def date(value) -> str:
    if not value:
        return ""
    return dt.date.fromisoformat(str(value)[:10]).strftime("%d/%m/%Y")


def status_label(row: dict) -> str:
    return t(f"dossiers.status.{row['display_status']}")


def badge(row: dict) -> str:
    """Streamlit colour markdown for the dossier's status (Quá hạn wins over the stored status)."""
    label = status_label(row)
    if row["display_status"] == "overdue" and row["status"] != "submitted":
        stored = t(f"dossiers.status.{row['status']}")
        label = f"{label} · {stored}"
    return f":{STATUS_COLOURS.get(row['display_status'], 'gray')}-background[{label}]"


def procedure_name(procedure_id: str) -> str:
    try:
        return catalogue.text(catalogue.get(procedure_id)["name"], current_lang())
    except catalogue.UnknownProcedure:
        return procedure_id


def document_name(proc: dict, document_id: str) -> str:
    found = next((d for d in proc["documents"] if d["id"] == document_id), None)
    return catalogue.text(found["name"], current_lang()) if found else document_id


def message_text(message: dict) -> str:
    params = dict(message["params"])
    if "amount" in params:
        params["amount"] = money(params["amount"])
    return t(message["key"], **params)


def show_messages(messages: list[dict]) -> None:
    for message in reversed(messages):
        when = dt.datetime.fromisoformat(message["at"]).strftime("%H:%M %d/%m/%Y")
        actor = t(f"dossiers.actor.{message['actor']}")
        st.markdown(f"**{actor}** · {when}  \n{message_text(message)}")


UPLOAD_MB = photos.MAX_BYTES // (1024 * 1024)  # a photo of a paper; Streamlit counts MB as MiB


def document_picker(db, persona: dict, row: dict, document: dict, *, key_prefix: str) -> None:
    """The phone's photo gallery for one paper (three of the persona's photos, one clear) and
    an upload box. Attaching replaces the earlier photo of that paper."""
    code = row["code"]
    doc_id = document["id"]
    lang = current_lang()
    name = catalogue.text(document["name"], lang)
    attached = next((d for d in records.documents_of(db, code) if d["document"] == doc_id), None)
    with st.container(border=True):
        suffix = "" if document["required"] else f" ({t('dossiers.optional')})"
        st.markdown(f"**{name}**{suffix}")
        if attached:
            st.image(records.document_picture(db, attached), width=220,
                     alt=records.document_picture_alt(db, attached, lang, name))
            st.caption(":material/check_circle: " + t("dossiers.documents.attached"))
        else:
            st.caption(t("dossiers.documents.not_attached"))
        with st.expander(t("dossiers.documents.gallery"), expanded=attached is None):
            for n, variant in enumerate(documents.sample_variants(persona["id"], doc_id), start=1):
                st.image(documents.sample_picture(doc_id, variant, persona), caption=t("dossiers.documents.picture", n=n),
                         width=220, alt=documents.picture_alt(doc_id, variant, persona, lang))
                if st.button(t("dossiers.documents.choose", n=n), key=f"{key_prefix}.{code}.{doc_id}.{variant}",
                             width="stretch"):
                    _attach(db, persona, code, doc_id, name, variant=variant)
            # The limit said in the label and the one Streamlit applies are the domain's (issue 14).
            upload = st.file_uploader(t("dossiers.documents.upload", max_mb=UPLOAD_MB), type=["png", "jpg", "jpeg"],
                                      key=f"{key_prefix}.up.{code}.{doc_id}", max_upload_size=UPLOAD_MB)
            if st.button(t("dossiers.documents.upload_button"), key=f"{key_prefix}.upbtn.{code}.{doc_id}",
                         width="stretch"):
                if upload is None:
                    st.session_state["doc_error"] = t("dossiers.documents.upload_first")
                    st.rerun()
                _attach(db, persona, code, doc_id, name, upload=upload.getvalue(), filename=upload.name)


def _attach(db, persona: dict, code: str, doc_id: str, name: str, **kwargs) -> None:
    try:
        citizen.attach(db, persona["id"], code, doc_id, **kwargs)
    except dossier_schema.DossierError as error:
        st.session_state["doc_error"] = refusal_text(error)
    else:
        st.session_state["doc_notice"] = t("dossiers.documents.attached_ok", document=name)
    st.rerun()


def show_document_notices() -> None:
    """The last attach's outcome, shown at the top of the page after the rerun."""
    error = st.session_state.pop("doc_error", None)
    if error:
        st.error(error, icon=":material/error:")
    notice = st.session_state.pop("doc_notice", None)
    if notice:
        st.success(notice, icon=":material/check_circle:")


def scroll_to_top_on_change(area: str, token) -> None:
    """A new step of a journey starts at the top of the screen, like a new web page: on a
    phone, Streamlit would otherwise keep the scroll position of the form just sent."""
    seen = f"{area}.scrolled_for"
    if st.session_state.get(seen) == token:
        return
    st.session_state[seen] = token
    st.html("<script>for (const s of ['[data-testid=stMain]', '[data-testid=stAppViewContainer]', 'section.main'])"
            " { const e = document.querySelector(s); if (e) e.scrollTo(0, 0); } window.scrollTo(0, 0);"
            f"/* {token} */</script>", unsafe_allow_javascript=True)
