"""The numbers of the payment scenarios, from ``sandbox_data/payment_scenarios.toml``: the
documented passcode and starting balance of scenario personas, how many wrong passcodes lock
the app and for how long, how long a desk QR lives, and each failure a trainer can arm."""

from __future__ import annotations

from workbench import data as data_files


def scenarios_file() -> dict:
    return data_files.load("payment_scenarios")


def scenario_defaults() -> dict:
    return scenarios_file()["defaults"]


def scenario(scenario_id: str) -> dict:
    for item in scenarios_file()["scenarios"]:
        if item["id"] == scenario_id:
            return item
    raise KeyError(scenario_id)
