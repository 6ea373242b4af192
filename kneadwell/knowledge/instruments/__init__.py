"""Outcome-measure instruments as data: their schema, the registry of instrument files, scoring
as published and reading change against the minimal important change."""
