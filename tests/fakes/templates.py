"""The providers' template languages as far as a campaign uses them, evaluated like the real ones:
listmonk compiles subject, body and text as Go templates (an unknown name is an error, a
string literal prints itself); Brevo fills ``{{ … }}`` and runs ``{% … %}``, and refuses a
``{{`` that is never closed."""

from __future__ import annotations

import re

SUBSCRIBER = {"email": "anna@example.org", "name": "Anna"}
LISTMONK_NAMES = {"UnsubscribeURL": "https://listmonk.example/subscription/u1",
                  "TrackView": '<img src="https://listmonk.example/campaign/c1/u1/px.png" alt="">',
                  ".Subscriber.Email": SUBSCRIBER["email"], ".Subscriber.Name": SUBSCRIBER["name"]}
BREVO_NAMES = {"unsubscribe": "https://brevo.example/unsubscribe/u1", "contact.EMAIL": SUBSCRIBER["email"],
               "contact.FIRSTNAME": SUBSCRIBER["name"]}


class TemplateError(ValueError):
    pass


def go_render(text: str) -> str:
    """Go's text/template for the expressions a campaign may hold."""
    out, position = [], 0
    while (start := text.find("{{", position)) != -1:
        end = text.find("}}", start + 2)
        if end == -1:
            raise TemplateError(f'template: unclosed action at "{text[start:start + 20]}"')
        out.append(text[position:start])
        action = text[start + 2:end].strip()
        literal = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', action)
        if literal:
            out.append(literal[1])
        elif action in LISTMONK_NAMES:
            out.append(LISTMONK_NAMES[action])
        else:
            raise TemplateError(f'template: function "{action}" not defined')
        position = end + 2
    return "".join(out) + text[position:]


def brevo_render(text: str) -> str:
    """Brevo's language: variables filled, unknown ones empty, tags evaluated (and dropped here)."""
    if text.count("{{") != len(re.findall(r"\{\{.*?\}\}", text, re.S)):
        raise TemplateError("Unclosed variable tag")
    text = re.sub(r"\{%.*?%\}", "", text, flags=re.S)
    return re.sub(r"\{\{\s*(.*?)\s*\}\}", lambda m: BREVO_NAMES.get(m[1].split("|")[0].strip(), ""), text,
                  flags=re.S)
