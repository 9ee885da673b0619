"""hwbkg vocabulary as code, GENERATED from ontology/hwbkg.ttl by `make vocab`.

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

    # Classes
    Action: URIRef  # A row of an action plan: something a lead partner will do, with related plans and measures
    ActionPlan: URIRef  # A plan made of numbered actions, each with a lead partner and a measure
    Commitment: URIRef  # A commitment within a priority area (skos:broader links it to the area)
    DeliveryApproach: URIRef  # A level of effort a board gives a priority, such as Do, Sponsor or Watch
    Figure: URIRef  # A number printed in a statement (a count, a percentage, an amount of money), as data: value, unit and the text as printed
    GenericPartner: URIRef  # A group named in a plan without naming a body, such as 'Partners', 'Schools' or 'VCS'; kept apart from real organisations
    IcsPriorities: URIRef  # The priorities of an Integrated Care System, kept as curated data
    ImprovementPlan: URIRef  # Work already planned towards a priority (a 'Current improvement plans' bullet)
    Initiative: URIRef  # A named programme or project reported on under a commitment, such as the Healthy Workplaces Programme
    LoadIssue: URIRef  # A line a loader could not fully read, or a name it could not resolve, with the reason
    Mapping: URIRef  # A record of one SKOS mapping between themes or priorities, with who states it and why (SSSOM fields); the mapping triple itself is asserted too
    Measure: URIRef  # How progress on an action or priority is measured, or the target it aims at, as printed
    MeasurePlaceholder: URIRef  # A measure cell that names no measure: TBA, TBC, ?, To be determined, or empty
    Objective: URIRef  # A lettered objective group of an action plan (A to R in Leicester's 2018-23 plan), grouping numbered actions
    PartnerMention: URIRef  # One occurrence of a partner's name in a source, with the text as printed and, when the registry knows it, the organisation it refers to
    Plan: URIRef  # Any strategy, action plan, set of proposed priorities or progress report, including plans only referenced as a related strategy
    Priority: URIRef  # Something a plan commits to improve; a skos:Concept so priorities of different plans can be mapped to each other
    PriorityArea: URIRef  # A priority area within a life-course stage of Leicestershire's strategy, such as Building Strong Foundations
    ProgressReport: URIRef  # A report to a Health and Wellbeing Board on progress against a strategy's priorities
    ProgressStatement: URIRef  # A reported piece of progress on a commitment or initiative
    ProposedPriorities: URIRef  # A set of priorities put forward for agreement, such as the 2021 proposals for Leicester's 2022-27 strategy
    Rationale: URIRef  # A reason given for a priority (a 'Why a Priority?' bullet)
    SourceDocument: URIRef  # A plain-text conversion of a published document from which facts were read
    Statement: URIRef  # A sentence or bullet of a source document kept as a fact of its own
    Strategy: URIRef  # A plan that sets themes and priorities over several years, such as a Joint Health and Wellbeing Strategy
    Theme: URIRef  # A plan's theme, strand or life-course stage; each plan's themes form a skos:ConceptScheme of their own

    # Object properties
    deliveryApproach: URIRef  # Links a priority to its Do, Sponsor or Watch approach
    figure: URIRef  # Links a statement, measure or action to a number printed in it
    improvementPlan: URIRef  # Links a priority to work already planned towards it
    leadPartner: URIRef  # Links an action to an organisation named in its lead-partner or 'who will deliver' cell
    measure: URIRef  # Links an action or priority to a measure of its progress
    measurePlaceholder: URIRef  # Links an action or priority to a placeholder printed where a measure should be
    mention: URIRef  # Links an action, priority or statement to a partner mention read from its text
    noEquivalentIn: URIRef  # Links a theme to a plan where a document states the theme has no equivalent
    organisationKind: URIRef  # Links an organisation to its kind (council, NHS trust, ICB/CCG, police, VCSE, school, ...)
    partner: URIRef  # Links a priority, action or statement to any other organisation named as a partner, such as a key partner
    plan: URIRef  # Links a theme, priority, action or initiative to the plan it belongs to
    priority: URIRef  # Links an action or initiative to the priority (objective, commitment) it serves
    progress: URIRef  # Links a commitment or initiative to a statement of progress on it
    rationale: URIRef  # Links a priority to a reason given for it
    refersTo: URIRef  # Links a partner mention to the organisation the registry resolves it to
    relatedPlan: URIRef  # Links an action to a plan named in its related strategy/plan cell
    sourceDocument: URIRef  # Links a node read from a source (or a plan) to the document it came from
    theme: URIRef  # Links a priority or action to a theme it is tagged with
    themeScheme: URIRef  # Links a plan to the skos:ConceptScheme of its themes

    # Datatype properties
    ambition: URIRef  # A theme's ambition or description, as printed
    area: URIRef  # The place a plan covers, as named in the manifest (Leicester, Leicestershire, Harborough, LLR)
    confidence: URIRef  # The curator's confidence in a mapping, from 0 to 1 (SSSOM confidence)
    deadline: URIRef  # When an action is due, as printed (for example 2022/23)
    fileName: URIRef  # The file name of a source document
    flag: URIRef  # A marker printed on an action, such as Stretch, or Asterisked for a leading '*'
    gssCode: URIRef  # The ONS Government Statistical Service code of a council's area
    level: URIRef  # The level at which a priority is delivered (city wide, neighbourhood, ...), as printed
    lineCount: URIRef  # The number of lines in a source document
    mappingJustification: URIRef  # Why a mapping holds (SSSOM mapping_justification, a semapv term written as a CURIE) or, for stated mappings, that a document states it
    mentionRole: URIRef  # The role in which a partner is named: lead or partner
    mentionText: URIRef  # A partner's name exactly as printed in the source
    milestone: URIRef  # A milestone of an action, as printed
    objective: URIRef  # The objective an action row states beside what will be done (district plans)
    odsCode: URIRef  # The NHS Organisation Data Service code of an NHS body
    period: URIRef  # The years a plan covers, as printed (for example 2018-23)
    reason: URIRef  # Why a loader could not read a line or resolve a name
    sha256: URIRef  # The SHA-256 checksum of a source document's bytes, so a citation names the exact version read
    sourceLine: URIRef  # The 1-based line of the source document where the fact starts
    status: URIRef  # Whether a document is a draft or final
    unit: URIRef  # The unit of a figure: count, percent, GBP, year, per1000
    value: URIRef  # The numeric value of a figure
