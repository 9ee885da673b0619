"""Home page: the plans and how much the graph holds about each."""

from __future__ import annotations

from flask import Blueprint, render_template

from graph import sparql
from webapp.graphstore import get_store

bp = Blueprint("home", __name__)

PLANS_QUERY = """
SELECT ?plan ?label ?period ?kind
       (COUNT(DISTINCT ?theme) AS ?themes) (COUNT(DISTINCT ?priority) AS ?priorities)
       (COUNT(DISTINCT ?action) AS ?actions)
WHERE {
  ?plan a ?kind ; skos:prefLabel ?label . ?kind rdfs:subClassOf hwb:Plan .
  OPTIONAL { ?plan hwb:period ?period }
  OPTIONAL { ?theme hwb:plan ?plan ; a hwb:Theme }
  OPTIONAL { ?priority hwb:plan ?plan ; a/rdfs:subClassOf* hwb:Priority }
  OPTIONAL { ?action hwb:plan ?plan ; a hwb:Action }
} GROUP BY ?plan ?label ?period ?kind ORDER BY ?label
"""


@bp.get("/")
def index():
    """The plans with their counts of themes, priorities and actions."""
    columns, found = sparql.rows(sparql.run(get_store(), PLANS_QUERY))
    plans = [dict(zip(columns, (sparql.term_text(t) for t in row), strict=True)) for row in found]
    return render_template("home/index.html", plans=plans, quads=len(get_store()))
