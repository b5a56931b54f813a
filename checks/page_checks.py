"""Checks that run inside one loaded page: axe-core, privacy, CSP, keyboard and reflow."""

from __future__ import annotations

from urllib.parse import urlsplit

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# Injected before any page script (CDP, so CSP does not block it): collect CSP violations.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || ''));
});
"""

# IBM Equal Access (accessibility-checker-engine; ace-window.js exposes window.ace_ibma): WCAG 2.2
# A and AA rules; a definite failure is value ["VIOLATION", "FAIL"].
IBM_RULESET = "WCAG_2_2"
RUN_IBM = """async (ruleset) => {
  const report = await new window.ace_ibma.Checker().check(document, [ruleset]);
  return report.results.filter(r => r.value[0] === "VIOLATION" && r.value[1] === "FAIL")
    .map(r => ({id: r.ruleId, help: r.message, node: r.path.dom}));
}"""
# HTML_CodeSniffer, WCAG 2 AA: messages of type 1 are errors.
RUN_HTMLCS = """() => new Promise((resolve, reject) => {
  HTMLCS.process('WCAG2AA', document, () => resolve(HTMLCS.getMessages()
    .filter(m => m.type === 1)
    .map(m => ({id: m.code, help: m.msg, node: m.element ? m.element.tagName : ''}))), reject, 'en');
})"""

RUN_AXE = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""

# Every element Tab can reach must show a focus indicator.
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  return {tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href'),
          text: (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40),
          visible: outline || shadow};
}"""

COUNT_FOCUSABLE = """() => Array.from(document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])'))
  .filter(e => e.offsetParent !== null || getComputedStyle(e).position === 'fixed').length"""

OVERFLOW = """() => ({scroll: document.documentElement.scrollWidth,
                    client: document.documentElement.clientWidth})"""

# At 200 % text size: text cut off by overflow:hidden, or siblings in a flex/grid row overlapping.
CLIPPED_OR_OVERLAPPING = """() => {
  const problems = [];
  const hidden = (e) => e.closest('.visually-hidden') || e.getClientRects().length === 0;
  for (const el of document.querySelectorAll('body *')) {
    if (hidden(el)) continue;
    const s = getComputedStyle(el);
    const clipped = ['hidden', 'clip'].includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
    if (clipped && el.textContent.trim())
      problems.push('abgeschnitten: ' + el.tagName.toLowerCase() + '.' + el.className);
    if (['flex', 'grid', 'inline-flex'].includes(s.display)) {
      const kids = Array.from(el.children).filter(k => !hidden(k)).map(k => k.getBoundingClientRect());
      for (let i = 0; i < kids.length; i++) for (let j = i + 1; j < kids.length; j++) {
        const a = kids[i], b = kids[j];
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (x > 1 && y > 1)
          problems.push('überlappt: Kinder von ' + el.tagName.toLowerCase() + '.' + el.className);
      }
    }
  }
  return [...new Set(problems)].slice(0, 5);
}"""


def foreign(urls: list[str], own: str) -> list[str]:
    """Requests to any host but ``own`` (data: and blob: stay local)."""
    host = urlsplit(own).netloc
    return [u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")
            and urlsplit(u).netloc != host]


def keyboard_problems(page, url: str) -> list[str]:
    """Skip link first, it moves focus to main, and every Tab stop shows focus."""
    problems = []
    page.goto(url)
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_STYLE)
    if not first or first["href"] != "#inhalt":
        problems.append(f"erster Tab erreicht nicht den Link „Zum Inhalt springen“ ({first})")
    else:
        page.keyboard.press("Enter")
        if page.evaluate("() => document.activeElement && document.activeElement.id") != "inhalt":
            problems.append("der Sprunglink setzt den Fokus nicht auf <main id=inhalt>")
    page.goto(url)
    stops = page.evaluate(COUNT_FOCUSABLE)
    for _ in range(stops):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STYLE)
        if state and not state["visible"]:
            problems.append(f"kein sichtbarer Fokus: <{state['tag']}> „{state['text']}“")
    return sorted(set(problems))


def reflow_problems(page, url: str) -> list[str]:
    """No horizontal scrolling at 320 CSS px; nothing cut off or overlapping at 200 % text."""
    problems = []
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(url)
    size = page.evaluate(OVERFLOW)
    if size["scroll"] > size["client"] + 1:
        problems.append(f"bei 320 px horizontal scrollbar ({size['scroll']} px breit)")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    size = page.evaluate(OVERFLOW)
    if size["scroll"] > size["client"] + 1:
        problems.append("bei 200 % Textgröße horizontal scrollbar")
    problems += [f"bei 200 % Textgröße {p}" for p in page.evaluate(CLIPPED_OR_OVERLAPPING)]
    return problems
