"""The VNeID lesson's steps done straight on the sandbox, as the phone pages would do them: the
workshop tests and the workshop-hall journey put participants part-way through the lesson."""

from workbench.sandbox import eid, otp, personas, scenarios


def activate_up_to(db, persona_id: str, steps: int) -> None:
    """Do the first ``steps`` steps of the VNeID lesson the way the phone pages do."""
    person = personas.get(db, persona_id)
    creds = scenarios.credentials()
    actions = [
        lambda: eid.start_activation(db, persona_id, person["cccd"], person["phone"]),
        lambda: eid.confirm_activation_otp(db, persona_id, otp.latest_code_for_tests(db, persona_id, "eid_activation")),
        lambda: eid.set_password(db, persona_id, creds["vneid_password"], creds["vneid_password"]),
        lambda: eid.set_passcode(db, persona_id, creds["passcode"], creds["passcode"]),
        lambda: eid.set_security_questions(db, persona_id, dict(list(creds["security_answers"].items())[:2])),
        lambda: eid.login(db, persona_id, person["cccd"], creds["vneid_password"]),
    ]
    for action in actions[:steps]:
        action()
