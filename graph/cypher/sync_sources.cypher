MATCH (n:Entity) WHERE n.source IS NOT NULL RETURN DISTINCT n.source AS source
