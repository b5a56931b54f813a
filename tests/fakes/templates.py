"""The providers' template languages as far as a campaign uses them, evaluated like the real ones:
listmonk compiles subject, body and text as Go templates (an unknown name is an error, a
string literal prints itself; ``if``/``end`` with ``or``, ``not`` and Sprig's ``has``, which
listmonk ships, on the subscriber's attributes); Brevo fills ``{{ … }}`` and runs ``{% if %}``
(``not``, ``or``, ``in`` on contact attributes), and refuses a ``{{`` that is never closed."""

from __future__ import annotations

import re
from typing import Any

SUBSCRIBER = {"email": "anna@example.org", "name": "Anna", "attribs": {}}
LISTMONK_NAMES = {"UnsubscribeURL": "https://listmonk.example/subscription/u1",
                  "ManageURL": "https://listmonk.example/subscription/u1?manage=true",
                  "TrackView": '<img src="https://listmonk.example/campaign/c1/u1/px.png" alt="">'}
BREVO_NAMES = {"unsubscribe": "https://brevo.example/unsubscribe/u1",
               "update_profile": "https://brevo.example/profile/u1"}


class TemplateError(ValueError):
    pass


# -- Go's text/template ------------------------------------------------------------------------

_GO_TOKEN = re.compile(r'\s*(\(|\)|"(?:[^"\\]|\\.)*"|[.A-Za-z_][.A-Za-z0-9_]*)')


def _go_tokens(expression: str) -> list[str]:
    tokens, position = [], 0
    expression = expression.strip()
    while position < len(expression):
        found = _GO_TOKEN.match(expression, position)
        if not found:
            raise TemplateError(f'template: bad character in "{expression}"')
        tokens.append(found[1])
        position = found.end()
    return tokens


def _go_field(path: str, subscriber: dict[str, Any]) -> Any:
    if path == ".Subscriber.Email":
        return subscriber["email"]
    if path == ".Subscriber.Name":
        return subscriber["name"]
    if path.startswith(".Subscriber.Attribs."):
        return (subscriber.get("attribs") or {}).get(path.removeprefix(".Subscriber.Attribs."))
    raise TemplateError(f"template: can't evaluate field {path}")


def _truth(value: Any) -> bool:
    return bool(value)


class _GoExpression:
    """A pipeline of one command: a function with arguments, each a value or (a pipeline)."""

    def __init__(self, tokens: list[str], subscriber: dict[str, Any]) -> None:
        self.tokens, self.position, self.subscriber = tokens, 0, subscriber

    def take(self) -> str:
        if self.position >= len(self.tokens):
            raise TemplateError("template: missing value")
        token = self.tokens[self.position]
        self.position += 1
        return token

    def argument(self) -> Any:
        """A value, evaluated lazily (``or`` stops at its first true argument, as Go's does)."""
        token = self.take()
        if token == "(":
            start = self.position
            depth = 1
            while depth:
                token = self.take()
                depth += {"(": 1, ")": -1}.get(token, 0)
            inner = self.tokens[start:self.position - 1]
            return lambda: _GoExpression(inner, self.subscriber).command()
        if token.startswith('"'):
            return lambda: token[1:-1]
        if token.startswith("."):
            return lambda: _go_field(token, self.subscriber)
        if token in LISTMONK_NAMES:
            return lambda: LISTMONK_NAMES[token]
        raise TemplateError(f'template: function "{token}" not defined')

    def command(self) -> Any:
        head = self.tokens[0] if self.tokens else ""
        if head in ("or", "and", "not", "has"):
            self.position = 1
            arguments = []
            while self.position < len(self.tokens):
                arguments.append(self.argument())
            return self.call(head, arguments)
        value = self.argument()
        if self.position != len(self.tokens):
            raise TemplateError(f'template: function "{head}" not defined')
        return value()

    @staticmethod
    def call(name: str, arguments: list[Any]) -> Any:
        if name == "not":
            if len(arguments) != 1:
                raise TemplateError("template: wrong number of args for not")
            return not _truth(arguments[0]())
        if name == "has":
            if len(arguments) != 2:
                raise TemplateError("template: wrong number of args for has")
            needle, haystack = arguments[0](), arguments[1]()
            if haystack is None:
                return False
            if not isinstance(haystack, list):
                raise TemplateError(f"Cannot find has on type {type(haystack).__name__}")
            return needle in haystack
        value = None
        for argument in arguments:  # or / and: the first deciding argument, the rest not evaluated
            value = argument()
            if _truth(value) == (name == "or"):
                return value
        return value


def go_render(text: str, subscriber: dict[str, Any] | None = None) -> str:
    """Go's text/template for the actions a campaign may hold, for one subscriber."""
    subscriber = subscriber or SUBSCRIBER
    out: list[str] = []
    showing: list[bool] = []  # one entry per open if: whether its body shows
    position = 0
    while (start := text.find("{{", position)) != -1:
        end = text.find("}}", start + 2)
        if end == -1:
            raise TemplateError(f'template: unclosed action at "{text[start:start + 20]}"')
        visible = all(showing)
        if visible:
            out.append(text[position:start])
        action = text[start + 2:end].strip()
        if action.startswith("if "):
            tokens = _go_tokens(action[3:])
            # Compiled always (an unknown function is an error even where not shown).
            expression = _GoExpression(tokens, subscriber)
            showing.append(visible and _truth(expression.command()) if visible else False)
        elif action == "end":
            if not showing:
                raise TemplateError("template: unexpected {{end}}")
            showing.pop()
        elif visible:
            value = _GoExpression(_go_tokens(action), subscriber).command()
            out.append("" if value is None else str(value))
        else:
            _go_tokens(action)
        position = end + 2
    if showing:
        raise TemplateError("template: unexpected EOF")
    out.append(text[position:])
    return "".join(out)


# -- Brevo's template language ------------------------------------------------------------------

def _brevo_value(name: str, contact: dict[str, Any]) -> Any:
    if name == "contact.EMAIL":
        return contact["email"]
    if name == "contact.FIRSTNAME":
        return contact["name"]
    if name.startswith("contact."):
        return (contact.get("attribs") or {}).get(name.removeprefix("contact."))
    return BREVO_NAMES.get(name, "")


def _brevo_condition(expression: str, contact: dict[str, Any]) -> bool:
    for term in (t.strip() for t in re.split(r"\s+or\s+", expression.strip())):
        if term.startswith("not "):
            result = not _brevo_value(term[4:].strip(), contact)
        elif (found := re.fullmatch(r'"([^"]*)"\s+in\s+(\S+)', term)):
            result = found[1] in str(_brevo_value(found[2], contact) or "")
        else:
            result = bool(_brevo_value(term, contact))
        if result:
            return True
    return False


def brevo_render(text: str, contact: dict[str, Any] | None = None) -> str:
    """Brevo's language: variables filled, unknown ones empty, ``if``/``endif`` evaluated."""
    contact = contact or SUBSCRIBER
    if text.count("{{") != len(re.findall(r"\{\{.*?\}\}", text, re.S)):
        raise TemplateError("Unclosed variable tag")
    out: list[str] = []
    showing: list[bool] = []
    position = 0
    for tag in re.finditer(r"\{%(.*?)%\}", text, re.S):
        if all(showing):
            out.append(text[position:tag.start()])
        body = tag[1].strip()
        if body.startswith("if "):
            showing.append(all(showing) and _brevo_condition(body[3:], contact))
        elif body == "endif":
            if not showing:
                raise TemplateError("endif without if")
            showing.pop()
        position = tag.end()
    if showing:
        raise TemplateError("if without endif")
    out.append(text[position:])
    return re.sub(r"\{\{\s*(.*?)\s*\}\}",
                  lambda m: str(_brevo_value(m[1].split("|")[0].strip(), contact) or ""), "".join(out),
                  flags=re.S)
