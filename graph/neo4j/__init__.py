"""The Neo4j side of the query layer: :mod:`graph.neo4j.mapping` (RDF → nodes and
relationships, from the one declaration), :mod:`graph.neo4j.dialect` (Neo4j 5 / FalkorDB
differences), :mod:`graph.neo4j.projection` (projection and sync), :mod:`graph.neo4j.engine` (the
query layer's primitives in Cypher) and :mod:`graph.neo4j.handshake` (the Bolt probe)."""
