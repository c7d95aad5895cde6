"""The wallet's own "Quét mã QR" (issue 14): real people pay by opening their bank or wallet
app and scanning inside it. A live camera in the browser needs https, which a hall's LAN does
not have, so the learner takes a photo (the phone's file picker offers the camera over plain
http); the laptop reads it (``payments.photo_scan``) and opens the payment on /pay."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from pages._ui import pay as ui
from pages._ui.frame import page_link, t
from workbench.sandbox.payments import desk_qr, photo_scan, schema as payment_schema

PAY_PAGE = "pages/sandbox/pay.py"
READ = "wallet_scan_read"  # the id of the last photo read, so a rerun does not read it again


def live_camera_allowed() -> bool:
    """Browsers open a live camera only on https or on this laptop itself."""
    url = st.context.url or ""
    return url.startswith("https://") or "://localhost" in url or "://127.0.0.1" in url


def scan_box(db, persona_id: str) -> None:
    with st.container(border=True, key="wallet_scan"):
        st.header(t("wallet.scan.title"), anchor=False)
        st.write(t("wallet.scan.body"))
        photo = st.file_uploader(t("wallet.scan.photo"), type=["png", "jpg", "jpeg"], key="wallet_scan_photo",
                                 max_upload_size=photo_scan.MAX_PHOTO_BYTES // (1024 * 1024),
                                 help=t("wallet.scan.photo_help", max_mb=photo_scan.MAX_PHOTO_BYTES // (1024 * 1024)))
        if live_camera_allowed():
            with st.expander(t("wallet.scan.live_camera")):
                live = st.camera_input(t("wallet.scan.live_camera"), key="wallet_scan_camera",
                                       label_visibility="collapsed")
            photo = photo or live
        if photo is not None and st.session_state.get(READ) != photo.file_id:
            read(db, persona_id, photo)
        elif photo is None:
            st.session_state.pop(READ, None)


def read(db, persona_id: str, photo) -> None:
    try:
        request = desk_qr.scan_photo(db, persona_id, photo.getvalue())
    except payment_schema.PaymentError as error:
        ui.show_error(error)
        return
    st.session_state[READ] = photo.file_id
    target = {"t": request["token"], "p": persona_id}
    try:
        st.switch_page(PAY_PAGE, query_params=target)
    except StreamlitPageNotFoundError:  # AppTest runs the page alone, without the app's navigation
        st.session_state["wallet_scan_target"] = target
        page_link(PAY_PAGE, label=t("wallet.scan.go_pay"), query_params=target)
