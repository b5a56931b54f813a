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

# IBM Equal Access (accessibility-checker-engine; ace-window.js exposes window.ace_ibma): its default
# policy, WCAG 2.2 A and AA and IBM's own rules; a definite failure is value ["VIOLATION", "FAIL"].
IBM_RULESET = "IBM_Accessibility"  # the default policy (what its browser extension runs): WCAG 2.2 and more
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

# How findings name an element: its id, else its classes (or its tag under the nearest element
# with a class or id), so that an adopter finds it in the page source or the stylesheet.
SELECTOR_OF = """(el) => {
  const own = (e) => e.id ? '#' + e.id
    : (e.classList.length ? '.' + Array.from(e.classList).slice(0, 2).join('.') : '');
  const name = own(el);
  if (name && !name.startsWith('.sls-align')) return name;
  let up = el.parentElement, depth = 0;
  while (up && up !== document.body && depth < 4 && !own(up)) { up = up.parentElement; depth++; }
  const base = up && up !== document.body ? own(up) + ' ' : '';
  return base + el.tagName.toLowerCase() + name;
}"""
TEXT_OF = """(el) => (el.innerText || el.getAttribute('aria-label') || el.getAttribute('alt') || '')
  .trim().replace(/\\s+/g, ' ').slice(0, 60)"""

# Injected before any page script: every element that receives focus records whether it shows
# a focus indicator (outline or box shadow), so one Tab walk needs no round trip per stop.
WATCH_FOCUS = f"""
window.__focusLog = [];
document.addEventListener('focusin', (event) => {{
  const el = event.target;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  window.__focusLog.push({{selector: ({SELECTOR_OF})(el), text: ({TEXT_OF})(el),
                          href: el.getAttribute('href'), id: el.id, visible: outline || shadow}});
}}, true);
"""

COUNT_FOCUSABLE = """() => Array.from(document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])'))
  .filter(e => e.offsetParent !== null || getComputedStyle(e).position === 'fixed').length"""

# The elements that make the page wider than the screen: the innermost ones outside any scroll
# container (a table may scroll inside its own box; the page must not).
WIDE_ELEMENTS = f"""() => {{
  const root = document.documentElement, screen = root.clientWidth;
  if (root.scrollWidth <= screen + 1) return null;
  const selectorOf = {SELECTOR_OF}, textOf = {TEXT_OF};
  const contained = (el) => {{
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement)
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    return false;
  }};
  const wide = Array.from(document.body.querySelectorAll('*')).filter((el) => {{
    const box = el.getBoundingClientRect();
    return (box.width || box.height) && box.right > screen + 1 && !contained(el);
  }});
  const innermost = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
  return {{scroll: root.scrollWidth, screen, culprits: innermost.slice(0, 5).map((el) => {{
    const box = el.getBoundingClientRect();
    return {{selector: selectorOf(el), text: textOf(el), width: Math.round(box.width),
             right: Math.round(box.right)}};
  }})}};
}}"""

# At 200 % text size: text cut off by overflow:hidden, or siblings in a flex/grid row overlapping.
CLIPPED_OR_OVERLAPPING = f"""() => {{
  const selectorOf = {SELECTOR_OF}, textOf = {TEXT_OF};
  const problems = [];
  const hidden = (e) => e.closest('.visually-hidden') || e.getClientRects().length === 0;
  for (const el of document.querySelectorAll('body *')) {{
    if (hidden(el)) continue;
    const s = getComputedStyle(el);
    const clipped = ['hidden', 'clip'].includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
    if (clipped && el.textContent.trim())
      problems.push('abgeschnitten: ' + selectorOf(el) + ' „' + textOf(el) + '“');
    if (['flex', 'grid', 'inline-flex'].includes(s.display)) {{
      const kids = Array.from(el.children).filter(k => !hidden(k));
      for (let i = 0; i < kids.length; i++) for (let j = i + 1; j < kids.length; j++) {{
        const a = kids[i].getBoundingClientRect(), b = kids[j].getBoundingClientRect();
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (x > 1 && y > 1)
          problems.push('überlappt: ' + selectorOf(kids[i]) + ' „' + textOf(kids[i]) + '“ und '
                        + selectorOf(kids[j]));
      }}
    }}
  }}
  return [...new Set(problems)].slice(0, 5);
}}"""

# Contrast findings of axe with the element, its text and the measured ratio.
RUN_AXE_CONTRAST = f"""async () => {{
  const result = await axe.run(document, {{runOnly: {{type: 'rule', values: ['color-contrast']}}}});
  const selectorOf = {SELECTOR_OF}, textOf = {TEXT_OF};
  return result.violations.flatMap(v => v.nodes.slice(0, 5).map(n => {{
    const el = document.querySelector(n.target[0]);
    const data = (n.any[0] || {{}}).data || {{}};
    return {{selector: el ? selectorOf(el) : n.target.join(' '), text: el ? textOf(el) : '',
             ratio: data.contrastRatio, fg: data.fgColor, bg: data.bgColor}};
  }}));
}}"""


def foreign(urls: list[str], own: str) -> list[str]:
    """Requests to any host but ``own`` (data: and blob: stay local)."""
    host = urlsplit(own).netloc
    return [u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")
            and urlsplit(u).netloc != host]


def wide_problems(found: dict | None, how: str) -> list[str]:
    """„.sls-brand__name „…“ ist 367 px breit (Bildschirm 320 px)“, one line per element."""
    if not found:
        return []
    lines = []
    for item in found["culprits"] or [{"selector": "html", "text": "", "width": found["scroll"],
                                       "right": found["scroll"]}]:
        size = (f"ist {item['width']} px breit" if item["width"] > found["screen"]
                else f"reicht bis {item['right']} px")
        text = f" „{item['text']}“" if item["text"] else ""
        lines.append(f"{item['selector']}{text} {size} ({how})")
    return lines


def contrast_problems(found: list[dict], scheme: str) -> list[str]:
    return [f"{item['selector']} „{item['text']}“ hat nur {item['ratio']}:1 ({item['fg']} auf "
            f"{item['bg']}, {scheme})" for item in found]
