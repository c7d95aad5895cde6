"""Accessibility checked by a suite we did not write: axe-core, injected into the journeys (issue 14).

``check(page, where)`` runs axe-core 4.14.1 (pinned in tests/browser/axe/package.json, installed
by ``make test`` with ``npm ci``) on the page as it stands and fails the journey on any critical
or serious violation in the app's own markup. Streamlit's own markup is listed apart in
``STREAMLIT_OWN``: we cannot change it from the app, and each entry says what upstream would
need to change. Nothing is fetched: the script is read from node_modules and injected.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.browser.util import wait_for_app

AXE_JS = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")

# Streamlit's own markup, listed apart: (rule id, the data-testid of a Streamlit part the node
# sits in). Each node is placed by the data-testids of its ancestors (``RUN`` below), so an
# entry can never hide the app's own markup elsewhere on the page.
STREAMLIT_OWN = [
    # The sidebar's page list (st.navigation): <ul data-testid="stSidebarNavItems"> holds each
    # group as a <div> (its header and its <li>s) and the "View N more" toggle as a <div>, so
    # the <ul> has non-<li> children ("list") and the <li>s have no <ul> parent ("listitem").
    # Upstream would need one <ul> a group, its header outside the list or an <li> itself, and
    # the toggle outside the <ul> (frontend/app/src/components/Sidebar/SidebarNav.tsx).
    ("list", "stSidebarNavItems"),
    ("listitem", "stSidebarNavItems"),
]

def installed() -> bool:
    return AXE_JS.exists()


def missing_message() -> str:
    return (f"axe-core is not installed ({AXE_JS} is missing): run `make test` once, or "
            f"`npm ci --prefix {AXE_JS.parents[2]}`")


RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations'], elementRef: true});
  const parts = (el) => {  // the data-testids of the node and its ancestors, innermost first
    const found = [];
    for (let at = el; at && at.getAttribute; at = at.parentElement) {
      if (at.dataset && at.dataset.testid) found.push(at.dataset.testid);
    }
    return found;
  };
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200), parts: parts(n.element),
                              impact: n.impact, summary: n.failureSummary}))}));
}"""


def run(page) -> list[dict]:
    """axe-core's violations on the page as it is now (after the script has finished its run)."""
    wait_for_app(page)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(RUN, TAGS)


def streamlits(rule: str, parts: list[str]) -> bool:
    return any(rule == own_rule and part in parts for own_rule, part in STREAMLIT_OWN)


def split(violations: list[dict]) -> tuple[list[dict], list[dict]]:
    """One entry a failing node, each {rule, impact, target, html, help}: (the app's, Streamlit's)."""
    ours, theirs = [], []
    for violation in violations:
        for node in violation["nodes"]:
            entry = {"rule": violation["id"], "impact": node["impact"] or violation["impact"],
                     "target": node["target"], "html": node["html"], "help": violation["help"],
                     "summary": node["summary"], "parts": node["parts"]}
            (theirs if streamlits(violation["id"], node["parts"]) else ours).append(entry)
    return ours, theirs


def counts(entries: list[dict]) -> dict[str, int]:
    return {impact: sum(entry["impact"] == impact for entry in entries) for impact in IMPACTS}


def check(page, where: str) -> list[dict]:
    """Fail on any critical or serious violation in the app's own markup; return all of ours.

    ``where`` names the place in the journey for the failure message. ``CDS_AXE=off`` skips the
    check (a quick local run); in CI it always runs."""
    if os.environ.get("CDS_AXE") == "off" and os.environ.get("CI") != "true":
        return []
    if not installed():
        raise AssertionError(missing_message())
    ours, _ = split(run(page))
    blocking = [entry for entry in ours if entry["impact"] in BLOCKING]
    assert not blocking, f"axe-core at {where}: {len(blocking)} critical/serious violation(s)\n" + "\n".join(
        f"- [{e['impact']}] {e['rule']} ({e['help']}) in {'/'.join(reversed(e['parts'][:4]))}: {e['target']}\n"
        f"    {e['html']}\n    {e['summary']}"
        for e in blocking)
    return ours
