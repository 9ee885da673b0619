"""The hwbkg knowledge graph: vocabulary, identifiers, build, store, validation and queries."""
