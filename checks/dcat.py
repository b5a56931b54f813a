"""The open-data catalogue (plugins/web/opendata.py) against the official DCAT-AP.de 3.0 shapes.

The shapes are pinned in checks/shapes/dcat-ap-de (its README names source, commit and licence):
the DCAT-AP 3.0.0 shapes of SEMIC and GovData's German layer over them (messages in German, shapes
switched off where DCAT-AP.de prescribes a vocabulary instead, its own additions, controlled
vocabularies, deprecated properties), the files GovData's validator loads for "DCAT-AP.de 3.0 –
Deutsche Spezifikation" (GovDataOfficial/DCAT-AP.de-SHACL-Validation, validator/resources/
config.properties). Its remote owl:imports (the vocabularies) are left out: the catalogue carries
the skos:inScheme of each term it uses.

pyshacl is a development dependency and is imported on the first check; the shapes are read once
per process. No inference, as the official validator: a class is what the data states.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .tools import ToolMissing

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

SHAPES = Path(__file__).resolve().parent / "shapes" / "dcat-ap-de"
# SEMIC's shapes first: the German files add messages and switches to shapes defined there.
SHAPE_FILES = ("dcat-ap-SHACL.ttl", "dcat-ap-SHACL-DE.ttl", "dcat-ap-spec-german-additions.ttl",
               "dcat-ap-de-controlledvocabularies.ttl", "dcat-ap-de-deprecated.ttl")
SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Findings:
    """One readable line per result (focus node, path: message), sorted, by severity."""

    violations: tuple[str, ...]
    warnings: tuple[str, ...]
    infos: tuple[str, ...]


def violations(turtle: str) -> list[str]:
    """What makes the catalogue not DCAT-AP.de 3.0 (severity Violation); [] when it conforms."""
    return list(findings(turtle).violations)


def findings(turtle: str) -> Findings:
    """Every result of the shapes on the catalogue, violations, warnings and infos apart."""
    try:
        from pyshacl import validate
        from rdflib import Graph
        from rdflib.namespace import RDF, Namespace
    except ImportError as error:
        raise ToolMissing("pyshacl fehlt – die Entwicklungswerkzeuge installieren: make") from error
    shapes = _shapes()
    data = Graph()
    try:
        data.parse(data=turtle, format="turtle")
    except Exception as error:  # rdflib raises several kinds; any means the text is not Turtle
        return Findings((f"Der Katalog ist kein gültiges Turtle: {error}",), (), ())
    _conforms, report, text = validate(data, shacl_graph=shapes, inference="none", inplace=True,
                                       allow_warnings=True, allow_infos=True)
    if not isinstance(report, Graph):  # pyshacl's own failure, not a finding
        raise RuntimeError(text)
    sh = Namespace(SH)
    found: dict[str, set[str]] = {"Violation": set(), "Warning": set(), "Info": set()}
    for result in report.subjects(RDF.type, sh.ValidationResult):
        severity = str(report.value(result, sh.resultSeverity)).removeprefix(SH)
        severity = severity if severity in found else "Violation"  # a severity of its own: the strictest
        focus = _name(report.value(result, sh.focusNode), shapes, "[Leerknoten]")
        path = report.value(result, sh.resultPath)
        where = f"{focus} {_name(path, shapes, '[Pfadausdruck]')}" if path is not None else focus
        found[severity].add(f"{where}: {_message(report, result, shapes)}")
    return Findings(*(tuple(sorted(found[severity])) for severity in ("Violation", "Warning", "Info")))


@functools.cache
def _shapes() -> Graph:
    """The shapes, read once (pyshacl adds two RDFS/OWL triples to them on first use, then none)."""
    from rdflib import Graph

    graph = Graph()
    for name in SHAPE_FILES:
        graph.parse(SHAPES / name, format="turtle")
    return graph


def _name(node: Node | None, shapes: Graph, blank: str = "[Leerknoten]") -> str:
    """An IRI with the shapes' prefixes; a blank node as ``blank``; a literal as its text."""
    from rdflib import BNode, URIRef

    if isinstance(node, URIRef):
        return node.n3(shapes.namespace_manager)
    if isinstance(node, BNode):
        return blank
    return str(node)


def _message(report: Graph, result: Node, shapes: Graph) -> str:
    """The German message if there is one (GovData adds them), else any, else the constraint."""
    from rdflib import Literal, URIRef

    messages = [m for m in report.objects(result, URIRef(SH + "resultMessage")) if isinstance(m, Literal)]
    messages.sort(key=lambda m: (m.language != "de", str(m)))
    if messages:
        return str(messages[0])
    return _name(report.value(result, URIRef(SH + "sourceConstraintComponent")), shapes)
