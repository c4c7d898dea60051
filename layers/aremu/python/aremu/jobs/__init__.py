"""Jobs in: ingest postings (python-jobspy or its CSV), de-duplicate, store, and enhance."""
