"""The fake banks, e-wallets and payees of the payment sandbox, from
``sandbox_data/payment_providers.toml``. Their names are made up, so no learner mistakes a
practice payment for a real bank's."""

from __future__ import annotations

from workbench import data as data_files
from workbench.sandbox.payments.schema import PaymentError


def providers_file() -> dict:
    return data_files.load("payment_providers")


def providers(kind: str | None = None) -> list[dict]:
    return [p for p in providers_file()["providers"] if kind is None or p["kind"] == kind]


def provider(provider_id: str) -> dict:
    for item in providers():
        if item["id"] == provider_id:
            return item
    raise PaymentError("payments.error.unknown_provider", provider=provider_id)


def payees(include_scam: bool = False) -> list[dict]:
    return [p for p in providers_file()["payees"] if include_scam or not p.get("scam")]


def payee(payee_id: str) -> dict:
    for item in providers_file()["payees"]:
        if item["id"] == payee_id:
            return item
    raise PaymentError("payments.error.unknown_payee", payee=payee_id)


def fee_payee_id() -> str:
    return payees()[0]["id"]


def authorise_method(provider_id: str) -> str:
    """"passcode" (the app's 6-digit passcode) or "otp" (a code the fake bank sends by SMS)."""
    return provider(provider_id).get("authorise", "passcode")
