"""Generate vocab/namespace.py from ontology/hwbkg.ttl (run by `make vocab`).

The ontology is the source of truth; tests/test_vocab.py fails when the two disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "hwbkg.ttl"
TARGET = ROOT / "vocab" / "namespace.py"
DEF = "https://w3id.org/hwbkg/def#"

HEADER = '''"""hwbkg vocabulary as code, GENERATED from ontology/hwbkg.ttl by `make vocab`.

Do not edit: change the ontology and regenerate. Every hwbkg IRI used by the code comes
from this module.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ID = Namespace("https://w3id.org/hwbkg/id/")
"""Instances: plans, themes, actions, organisations... (see vocab/ids.py)."""

GRAPH = Namespace("https://w3id.org/hwbkg/graph/")
"""Named graphs: one per source document, one per curated file, one for the ontology."""

ONTOLOGY_IRI = URIRef("https://w3id.org/hwbkg/def")

SSSOM = Namespace("https://w3id.org/sssom/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")


class HWB(DefinedNamespace):
    """The hwbkg ontology, https://w3id.org/hwbkg/def#"""

    _fail = True
    _NS = Namespace("https://w3id.org/hwbkg/def#")
'''

KINDS = [
    (OWL.Class, "Classes"),
    (OWL.ObjectProperty, "Object properties"),
    (OWL.DatatypeProperty, "Datatype properties"),
]


def render(graph: Graph) -> str:
    """Return the Python source of the namespace module for the ontology in ``graph``."""
    lines = [HEADER]
    for kind, heading in KINDS:
        terms = sorted(
            str(s)[len(DEF) :] for s in graph.subjects(RDF.type, kind) if str(s).startswith(DEF)
        )
        lines.append(f"\n    # {heading}\n")
        for name in terms:
            comment = graph.value(URIRef(DEF + name), RDFS.comment)
            first = str(comment).split(". ")[0].rstrip(".") if comment else ""
            lines.append(f"    {name}: URIRef  # {first}\n")
    return "".join(lines)


def main() -> int:
    graph = Graph().parse(ONTOLOGY)
    TARGET.write_text(render(graph), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
