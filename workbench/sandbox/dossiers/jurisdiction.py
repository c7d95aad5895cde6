"""Where a citizen may file: which residents the commune's public-service centre accepts.

Since 1/7/2025 (Decree 118/2025/NĐ-CP) the commune's centre accepts dossiers regardless of
administrative boundary within the province, so a persona living in another commune of the
demo province files here online or at the desk; before that, a commune took its own
residents' dossiers. A resident of another province is sent home (the sandbox keeps the
commune's procedures to its province; see the rule's note). The rules are dated data in
``sandbox_data/rules/jurisdiction.toml``: the sandbox clock's date decides.
"""

from __future__ import annotations

import datetime as dt

from workbench import fakes, rules
from workbench.sandbox import personas


def refusal(persona: dict, on: dt.date) -> tuple[str, dict] | None:
    """``None`` when the demo commune's centre accepts this persona's dossiers on ``on``, else
    (message key, its parameters) saying where to file instead."""
    _, commune, province = personas.residence(persona)
    here = fakes.load_commune()
    if commune == here.name and province == here.province:
        return None
    params = {"commune": commune, "province": province, "here": here.name, "here_province": here.province}
    if province != here.province and rules.value("jurisdiction.other_province", on) == "refuse":
        return "dossiers.error.other_province", params
    if rules.value("jurisdiction.desk_scope", on) == "commune":
        return "dossiers.error.other_commune", params
    return None
