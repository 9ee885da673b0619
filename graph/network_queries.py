"""The SPARQL behind the partner networks, and the facts it returns.

Every network is built from these answers over the graph, never from a copy of the data.
A scope (one plan, one theme, or all plans) is applied by binding ``?plan`` or ``?theme``
(SEP-0007 substitution), so nothing a user types is pasted into a query. Oxigraph only
substitutes projected variables, so every query projects ``?plan`` and ``?theme``.

Work items are actions, priorities (objectives, priority areas, commitments) and
initiatives. An organisation *leads* an item when it is named in its lead-partner cell
(``hwb:leadPartner``) and is a *partner* when it is named as a partner of the item
(``hwb:partner``) or in a statement reported under it (its progress or improvement plan).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph import sparql
from vocab.ids import mint
from vocab.namespace import ID

ROLES = ("lead", "partner")

WORK = """
  { SELECT ?item ?org ?role WHERE {
      { ?item hwb:leadPartner ?org BIND("lead" AS ?role) }
      UNION { ?item hwb:partner ?org BIND("partner" AS ?role) }
      UNION { ?item hwb:progress|hwb:improvementPlan ?statement .
              ?statement hwb:partner ?org BIND("partner" AS ?role) } } }
  ?item hwb:plan ?plan ; a/rdfs:subClassOf* ?top .
  VALUES ?top { hwb:Action hwb:Priority hwb:Initiative }
"""
"""Who is named on which work item, in which role, in which plan.

The names are found in a sub-select first: joined with ``hwb:plan`` outside it, Oxigraph
answers in milliseconds instead of the tenths of a second the flat union took.
"""

THEMED = "?item (hwb:priority|skos:broader)*/hwb:theme ?theme ."
"""An item's themes: its own, or those of the priority (or area) it serves."""

LINKS = """SELECT DISTINCT ?item ?top ?itemLabel ?notation ?plan ?planLabel ?theme
       ?org ?name ?kind ?generic ?role
WHERE {{{work}{themed}
  OPTIONAL {{ ?item skos:prefLabel ?itemLabel }}
  OPTIONAL {{ ?item skos:notation ?notation }}
  ?plan skos:prefLabel ?planLabel .
  ?org skos:prefLabel ?name .
  OPTIONAL {{ ?org hwb:organisationKind/skos:prefLabel ?kind }}
  BIND(EXISTS {{ ?org a hwb:GenericPartner }} AS ?generic)
}}"""

THEMES = """SELECT DISTINCT ?item ?plan ?theme ?themeLabel WHERE {{{work}
  {themed} ?theme skos:prefLabel ?themeLabel .
}}"""

PLANS_BY_ORGANISATION = f"""SELECT DISTINCT ?org ?planLabel WHERE {{{WORK}
  ?plan skos:prefLabel ?planLabel .
}} ORDER BY ?org ?planLabel"""
"""Every plan an organisation appears in, whatever the scope shown."""

OPTIONS = f"""SELECT DISTINCT ?plan ?planLabel ?theme ?themeLabel ?item WHERE {{{WORK}
  ?plan skos:prefLabel ?planLabel .
  OPTIONAL {{ {THEMED} ?theme skos:prefLabel ?themeLabel }}
}}"""
"""The plans and themes whose work names an organisation: the scopes worth drawing."""


class ScopeError(ValueError):
    """A scope names a plan, theme or role that does not exist; the message says which."""


@dataclass(frozen=True)
class Scope:
    """What to draw: one plan, one theme (keys as in their IRIs), one role, or all."""

    plan: str | None = None
    theme: str | None = None
    role: str | None = None

    def bindings(self) -> dict[str, ox.NamedNode]:
        """The SPARQL variables this scope binds (none for all plans)."""
        found = {}
        if self.plan:
            found["plan"] = ox.NamedNode(str(mint("plan", self.plan)))
        if self.theme:
            found["theme"] = ox.NamedNode(str(mint("theme", *self.theme.split("/"))))
        return found

    def describe(self, options: Options) -> str:
        """The scope in words, for titles and captions."""
        where = options.themes.get(self.theme) or options.plans.get(self.plan) or "all plans"
        return where + {"lead": " (leads only)", "partner": " (partners only)"}.get(self.role, "")


@dataclass
class Options:
    """The plans and themes that can be chosen, by key, with their labels."""

    plans: dict[str, str] = field(default_factory=dict)
    themes: dict[str, str] = field(default_factory=dict)
    theme_plan: dict[str, str] = field(default_factory=dict)

    def check(self, plan: str | None, theme: str | None, role: str | None) -> Scope:
        """A Scope from user input. Raises ScopeError naming the parameter that is wrong and
        the choices, never the value given (the network page shows the message)."""
        plan, theme, role = (v.strip() if v else None for v in (plan, theme, role))
        if plan and plan not in self.plans:
            raise ScopeError(f"unknown plan (known: {', '.join(self.plans)})")
        if theme and theme not in self.themes:
            raise ScopeError(f"unknown theme (known: {', '.join(self.themes)})")
        if plan and theme and self.theme_plan[theme] != plan:
            raise ScopeError("the theme is not a theme of the plan chosen")
        if role and role not in ROLES:
            raise ScopeError(f"unknown role (known: {', '.join(ROLES)})")
        return Scope(plan or None, theme or None, role or None)


@dataclass
class Facts:
    """What the graph says about a scope: organisations, work items and who does what."""

    organisations: dict[str, dict] = field(default_factory=dict)
    items: dict[str, dict] = field(default_factory=dict)
    links: set[tuple[str, str, str]] = field(default_factory=set)
    themes: dict[str, str] = field(default_factory=dict)
    plans_by_organisation: dict[str, list[str]] = field(default_factory=dict)
    plan_of: dict[str, str] = field(default_factory=dict)
    """Each work item's plan, by key (what graph/network_digest.py groups by)."""


def key_of(iri: str, kind: str) -> str:
    """The key of an instance IRI ``id/<kind>/<key>`` ("plan/x" -> "x"), as used in URLs."""
    prefix = f"{ID}{kind}/"
    return iri[len(prefix) :] if iri.startswith(prefix) else iri


def scope_queries(scope: Scope) -> dict[str, str]:
    """The query texts a scope runs (to show or cite beside the results)."""
    themed = "\n  " + THEMED if scope.theme else ""
    return {
        "links": LINKS.format(work=WORK, themed=themed),
        "themes": THEMES.format(work=WORK + themed, themed=THEMED),
        "plans_by_organisation": PLANS_BY_ORGANISATION,
    }


def _select(store: ox.Store, text: str, bindings: dict | None = None) -> list[dict[str, str]]:
    """A SELECT's rows as dicts of plain strings (unbound variables left out)."""
    columns, found = sparql.rows(sparql.run(store, text, bindings))
    return [
        {c: t.value for c, t in zip(columns, row, strict=True) if t is not None} for row in found
    ]


def options(store: ox.Store) -> Options:
    """The plans and themes whose work names at least one organisation."""
    found = Options()
    for row in sorted(_select(store, OPTIONS), key=lambda r: (r["planLabel"], r["plan"])):
        plan = key_of(row["plan"], "plan")
        found.plans[plan] = row["planLabel"]
        if "theme" in row:
            theme = key_of(row["theme"], "theme")
            found.themes[theme] = f"{row['themeLabel']} ({row['planLabel']})"
            found.theme_plan[theme] = plan
    found.themes = dict(sorted(found.themes.items(), key=lambda kv: kv[1]))
    return found


def fetch(store: ox.Store, scope: Scope) -> Facts:
    """Run the scope's queries; the role filter is applied later, to the network."""
    texts = scope_queries(scope)
    facts = Facts()
    for row in _select(store, texts["links"], scope.bindings()):
        facts.organisations[row["org"]] = {
            "label": row["name"],
            "kind": row.get("kind", "unknown"),
            "generic": row["generic"] == "true",
        }
        facts.items[row["item"]] = {
            "label": row.get("itemLabel", ""),
            "notation": row.get("notation", ""),
            "kind": row["top"].rsplit("#", 1)[-1].lower(),
            "plan": row["planLabel"],
            "themes": [],
        }
        facts.links.add((row["org"], row["item"], row["role"]))
        facts.plan_of[row["item"]] = key_of(row["plan"], "plan")
    for row in _select(store, texts["themes"], scope.bindings()):
        if row["item"] in facts.items:
            facts.items[row["item"]]["themes"].append(row["theme"])
            facts.themes[row["theme"]] = row["themeLabel"]
    for item in facts.items.values():
        item["themes"].sort()
    plans: dict[str, list[str]] = defaultdict(list)
    for row in _select(store, texts["plans_by_organisation"]):
        if row["org"] in facts.organisations:
            plans[row["org"]].append(row["planLabel"])
    facts.plans_by_organisation = dict(plans)
    return facts
