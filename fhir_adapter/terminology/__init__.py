"""Terminology stage: code tables and lookups (SNOMED CT, EDQM, UCUM, ATC)."""
