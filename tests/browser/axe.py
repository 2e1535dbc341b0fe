"""axe-core (vendored from the npm registry into tests/browser/vendor/axe-core, MPL-2.0), injected
into the page under test through WebDriver: a script run by the driver is not subject to the
page's Content-Security-Policy, so the application's policy stays as strict as in production."""

from collections import Counter
from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
# WCAG 2.0/2.1 A and AA rules, and axe's best practices (headings, landmarks, skip links...).
RUN_AXE = """
var done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
                   resultTypes: ["violations"]})
  .then(function (r) {
    done(r.violations.map(function (v) {
      return {id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.slice(0, 60).map(function (n) { return n.target.join(" ") + " :: " + (n.failureSummary || ""); }),
              count: v.nodes.length};
    }));
  })
  .catch(function (e) { done([{id: "axe-error", impact: "critical", help: String(e), nodes: [], count: 1}]); });
"""
SERIOUS = ("critical", "serious")


def axe_violations(browser):
    """Every axe violation on the current page: ``[{id, impact, help, nodes, count}]``."""
    if not browser.execute_script("return typeof window.axe !== 'undefined';"):
        browser.execute_script(AXE_SOURCE)
    browser.set_script_timeout(60)
    return browser.execute_async_script(RUN_AXE)


def impact_counts(violations):
    """Affected elements per impact, e.g. ``{"serious": 3, "moderate": 1}``."""
    counts = Counter()
    for violation in violations:
        counts[violation["impact"] or "none"] += violation["count"]
    return dict(counts)


def describe(violations):
    return "\n".join(
        f"  [{v['impact']}] {v['id']} ({v['count']}): {v['help']}\n" + "\n".join(f"      {n}" for n in v["nodes"])
        for v in violations
    )
