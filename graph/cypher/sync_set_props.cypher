MATCH (n:Entity {iri: $iri}) SET n += $props
