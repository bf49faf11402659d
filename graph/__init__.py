"""The knowledge graph: the Oxigraph store, IRIs, and the query layer."""
