// Entities of some kinds ($kinds), with a code, filtered by field values ({filters}: predicates
// on n.<field> = $v<i> / $v<i> IN n.<field>, field names from graph.base.FIELDS only) and by a
// lower-cased substring $text of the code, the label or a synonym of a data element.
MATCH (n:Entity)
WHERE n.kind IN $kinds AND n.code IS NOT NULL {filters}
  AND ($text IS NULL
       OR toLower(n.code) CONTAINS $text
       OR toLower(coalesce(n.label, '')) CONTAINS $text
       OR (n.kind = 'element' AND any(a IN coalesce(n.altLabel, []) WHERE toLower(a) CONTAINS $text)))
RETURN n.kind AS kind, n.iri AS iri, n.code AS code, n.label AS label, n.label_en AS label_en,
       CASE WHEN n.kind = 'element' THEN n.altLabel ELSE null END AS synonyms
