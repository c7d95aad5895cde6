"""Issue 13: the portal's log-in is VNeID only (Decree 69/2024/NĐ-CP, from 1/7/2024).

The portal's own accounts (registered by phone number, an OTP and a portal password) ended on
30/6/2024. Nothing the sandbox teaches may present them as current: the scan below reads the
locale files, lessons, sandbox data and docs for the words of that route. A persona who used
such an account and types it meets the notice and is led to VNeID; the rule's date decides.
"""

import datetime as dt
import re
import unicodedata

import pytest

from tests.conftest import ROOT
from workbench import clock, events, i18n, passwords, rules
from workbench.sandbox import portal, scenarios
from workbench.sandbox.phone import IdentityError

# The words of the ended route, as a sentence presenting it would use them. Vietnamese and
# English; compared case-insensitively on NFC text.
ENDED_ROUTE = [
    r"đăng ký tài khoản (dịch vụ công|cổng|dvc)",
    r"đăng ký bằng (số điện thoại|thuê bao)",
    r"đăng ký dịch vụ công bằng",
    r"mật khẩu (dịch vụ công|cổng)",
    r"tài khoản cấp bởi cổng",
    r"dichvucong@20\d\d",
    r"self-registration",
    r"portal password",
    r"regist(er|ered|ration) by (mobile|phone)",
    r"register a (new )?(portal|public-service) account",
]
# Dated rules are history by construction: an ended version says when it ended (workbench/rules.py),
# and docs/rules.md is generated from them.
NOT_SCANNED = {"sandbox_data/rules", "docs/rules.md"}


def scanned_files():
    for folder, patterns in (("locales", ("*.toml",)), ("lessons", ("*.toml",)),
                             ("sandbox_data", ("*.toml", "*.json", "*.csv", "*.md", "*.txt")), ("docs", ("*.md",))):
        for pattern in patterns:
            for path in sorted((ROOT / folder).rglob(pattern)):
                relative = path.relative_to(ROOT).as_posix()
                if not any(relative == skip or relative.startswith(skip + "/") for skip in NOT_SCANNED):
                    yield path, relative


def test_no_file_presents_the_portals_own_account_or_its_sim_registration_as_current():
    found = []
    for path, relative in scanned_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            text = unicodedata.normalize("NFC", line).lower()
            found += [f"{relative}:{number}: {pattern}" for pattern in ENDED_ROUTE if re.search(pattern, text)]
    assert found == []


def test_the_scan_reads_the_files_it_should_and_catches_the_old_wording():
    relatives = {relative for _, relative in scanned_files()}
    assert {"locales/vi/portal.toml", "lessons/portal_login.toml", "sandbox_data/identity_scenarios.toml",
            "docs/identity.md"} <= relatives
    assert not any(r.startswith("sandbox_data/rules/") for r in relatives)
    for old in ("Đăng ký bằng thuê bao di động", "mật khẩu Dịch vụ công **{portal_password}**",
                "Portal self-registration with a SIM in someone else's name", "Dichvucong@2024"):
        assert any(re.search(p, unicodedata.normalize("NFC", old).lower()) for p in ENDED_ROUTE), old


# --- the rule -----------------------------------------------------------------------------------

def test_the_rule_says_vneid_only_from_1_july_2024_with_its_source():
    assert rules.value("portal.login", dt.date(2024, 6, 30)) == portal.ACCOUNT_OR_VNEID
    assert rules.value("portal.login", dt.date(2024, 7, 1)) == portal.VNEID_ONLY
    today = rules.get("portal.login", dt.date(2026, 12, 1))
    assert today.value == portal.VNEID_ONLY and today.valid_to is None and today.confidence == "confirmed"
    assert "69/2024/NĐ-CP" in today.source["document"] and today.source["url"]
    notice = rules.get("portal.old_account_notice", dt.date(2026, 12, 1))
    assert notice.confidence == "unconfirmed"  # the portal's exact words were not found: the trainer is told
    assert "VNeID" in notice.text("vi") and "VNeID" in notice.text("en")
    with pytest.raises(rules.RuleMissing):
        rules.get("portal.old_account_notice", dt.date(2024, 6, 30))


def test_the_domain_has_no_registration_route_left():
    for name in ("start_registration", "confirm_registration_otp", "set_registration_password",
                 "resend_registration_otp", "registration_details_problem", "login_with_password"):
        assert not hasattr(portal, name), name
    assert not {"portal.register_started", "portal.register_refused", "portal.password_weak"} & set(portal.EVENT_KINDS)
    assert "portal_password" not in scenarios.credentials()


# --- the persona who used the old account ---------------------------------------------------------

def test_the_old_account_persona_meets_the_notice_whatever_it_types(sandbox_db):
    person = scenarios.create(sandbox_db, "old_portal_account", seed=None)
    pid = person["id"]
    assert portal.had_old_account(sandbox_db, pid)
    assert portal.account(sandbox_db, pid)["password_hash"] is None  # no portal password anywhere
    for username, password in ((person["cccd"], "Matkhaucu@2023"), (person["phone"], ""), ("", "x")):
        with pytest.raises(IdentityError) as refused:
            portal.login_with_old_account(sandbox_db, pid, username, password)
        assert refused.value.key == "portal.error.vneid_only"
        assert refused.value.params == {"since": "01/07/2024"}
    last = events.for_persona(sandbox_db, pid)[-1]
    assert (last["kind"], last["payload"]["reason"]) == ("portal.login_failed", "vneid_only")
    for lang in ("vi", "en"):
        assert "01/07/2024" in i18n.t("portal.error.vneid_only", lang, since="01/07/2024")
    assert "VNeID" in portal.old_account_notice(sandbox_db, "vi")


def test_the_old_account_persona_then_logs_in_with_vneid(sandbox_db):
    from workbench.sandbox import eid

    person = scenarios.create(sandbox_db, "old_portal_account", seed=None)
    pid = person["id"]
    with pytest.raises(IdentityError):
        portal.login_with_old_account(sandbox_db, pid, person["cccd"], "Matkhaucu@2023")
    creds = scenarios.credentials()
    request = portal.request_vneid_login(sandbox_db, pid, cccd=person["cccd"], password=creds["vneid_password"])
    eid.answer_request(sandbox_db, pid, request, creds["passcode"])
    assert portal.complete_vneid_login(sandbox_db, pid, request) is True
    assert events.for_persona(sandbox_db, pid)[-1]["payload"]["method"] == "vneid"


def test_the_documented_case_replays(sandbox_db):
    case = next(c for c in scenarios.cases() if c["id"] == "old_portal_account")
    assert scenarios.run_case(sandbox_db, case) == "portal.error.vneid_only"


def test_before_1_july_2024_an_old_account_with_its_password_still_logged_in(sandbox_db, monkeypatch):
    """The rule, not the code, decides: a trainer whose sandbox clock is in early 2024 sees the old route."""
    person = scenarios.create(sandbox_db, "old_portal_account", seed=None)
    pid = person["id"]
    sandbox_db.execute("update portal_accounts set password_hash = ? where persona_id = ?",
                       [passwords.hash_secret("Cu@2023xx", passwords.SANDBOX), pid])
    monkeypatch.setattr(clock, "real_now", lambda: dt.datetime(2024, 3, 1, 9, 0, tzinfo=clock.VN_TZ))
    assert portal.login_route(sandbox_db) == portal.ACCOUNT_OR_VNEID
    assert portal.old_account_notice(sandbox_db) is None
    with pytest.raises(IdentityError) as refused:
        portal.login_with_old_account(sandbox_db, pid, person["cccd"], "Sai@2023xx")
    assert refused.value.key == "portal.error.login_failed"
    portal.login_with_old_account(sandbox_db, pid, person["cccd"], "Cu@2023xx")
    assert events.for_persona(sandbox_db, pid)[-1]["payload"]["method"] == "password"


def test_ready_personas_have_a_vneid_made_account_and_no_password(sandbox_db):
    pid = scenarios.create(sandbox_db, "ready", seed=None)["id"]
    account = portal.account(sandbox_db, pid)
    assert (account["method"], account["password_hash"]) == ("vneid", None)
    assert not portal.had_old_account(sandbox_db, pid)
