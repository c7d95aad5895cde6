"""One public address (issue 14): every QR and link a phone opens carries the port ``make run``
printed, not Streamlit's 8501. Served with ``make run PORT=8630`` the desk's fee QR said 8501."""

import pytest

from workbench import cli, network
from workbench.sandbox.payments import desk_qr, providers


@pytest.fixture
def hall_on_8630(monkeypatch):
    """The laptop on the hall's wifi, served by scripts/serve.py on port 8630."""
    monkeypatch.delenv("CDS_PUBLIC_URL", raising=False)
    monkeypatch.setenv("CDS_PUBLIC_PORT", "8630")
    monkeypatch.setattr(network, "lan_addresses", lambda: ["192.168.1.10"])


def test_the_public_url_carries_the_served_port(hall_on_8630):
    assert network.public_url("join") == "http://192.168.1.10:8630/join"
    assert network.public_url() == "http://192.168.1.10:8630"


def test_an_explicit_public_url_wins_and_no_network_gives_none(hall_on_8630, monkeypatch):
    monkeypatch.setenv("CDS_PUBLIC_URL", "http://10.0.0.5:9000/")
    assert network.public_url("join") == "http://10.0.0.5:9000/join"
    monkeypatch.delenv("CDS_PUBLIC_URL")
    monkeypatch.setattr(network, "lan_addresses", lambda: [])
    assert network.public_url("join") is None


def test_a_garbled_port_falls_back_to_8501(hall_on_8630, monkeypatch):
    monkeypatch.setenv("CDS_PUBLIC_PORT", "eighty")
    assert network.public_url() == "http://192.168.1.10:8501"


def test_the_desk_fee_qr_carries_the_served_port(hall_on_8630, sandbox_db):
    request = desk_qr.issue_desk_qr(sandbox_db, 20_000, providers.fee_payee_id(), "Phí chứng thực")
    assert request["payload"].startswith("http://192.168.1.10:8630/pay?t=")


def test_init_prints_the_port_it_was_given(hall_on_8630, capsys, data_dir):
    assert cli.main(["init", "--port", "8631"]) == 0
    assert "http://192.168.1.10:8631" in capsys.readouterr().out


def test_the_lan_addresses_are_looked_up_once_per_half_minute(monkeypatch):
    calls = []
    monkeypatch.setattr(network, "_REMEMBERED", {})
    monkeypatch.setattr(network, "_look_up_lan_addresses", lambda: calls.append(1) or ["192.168.1.10"])
    assert network.lan_addresses() == network.lan_addresses() == ["192.168.1.10"]
    assert len(calls) == 1
    monkeypatch.setattr(network, "REMEMBER_SECONDS", 0.0)
    network.lan_addresses()
    assert len(calls) == 2
