// Data elements whose code, standard name or a synonym is exactly $text.
MATCH (e:DataElement)
WHERE e.code = $text OR e.label = $text OR e.label_en = $text OR $text IN coalesce(e.altLabel, [])
RETURN e.iri AS iri, e.code = $text AS by_code,
       (e.label = $text OR e.label_en = $text) AS by_name, $text IN coalesce(e.altLabel, []) AS by_synonym
