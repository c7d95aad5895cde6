"""Paying fees without cash, in the sandbox: accounts, a double-entry ledger, the portal's
payment gateway, desk QR codes and the simulated wallet / bank app (issue 5).

Safe by construction (DESIGN.md, principle 1):
- money is integer đồng held in a ledger: every transaction is entries that sum to zero, and
  each account's balance is the sum of its entries. A CHECK constraint keeps persona and payee
  balances from going negative even if code were wrong;
- a payable (a dossier's fee, a desk QR) is paid at most once: every pay is one
  ``store.write`` (BEGIN IMMEDIATE) unit, and a partial UNIQUE index on ``payments`` lets only
  one pending-or-succeeded payment exist per payable. The same token paid twice, two tabs, a
  double click or a retry after a timeout all end with the money moved once;
- a desk QR is a URL to this laptop carrying a token signed by this installation
  (``tokens``), never a bank payload a real banking app could pay.

Refusals are recorded as events too (``payment.failed`` with a ``reason``), then raised as
``PaymentError`` carrying a locale key, so pages show a clear message next to the step.

The modules, each with one job:

- ``schema``: the tables, the event kinds, ``PaymentError`` / ``PaymentPending``;
- ``providers``: the fake banks, e-wallets and payees (``sandbox_data/payment_providers.toml``);
- ``scenario_settings``: the numbers of ``sandbox_data/payment_scenarios.toml``;
- ``ledger``: accounts, balanced transfers, balances and the ledger's invariants;
- ``wallet``: the wallet / bank app — accounts opened, passcode, top-up, VNeID link, benefit,
  the trainer's failure scenarios;
- ``payables``: what can be paid once (a dossier's fee, a desk QR) and the payments made;
- ``gateway``: paying a payable — choose a provider, authorise (passcode or the bank's SMS
  OTP), move the money once;
- ``desk_qr``: the QR the desk shows, scanning it, the scam copy;
- ``tokens``: the signed token a desk QR carries;
- ``receipts``: the biên lai điện tử as a PDF.
"""
