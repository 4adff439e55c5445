"""Code system URIs, and the project's own canonical base."""
from __future__ import annotations

import os

SNOMED = "http://snomed.info/sct"
EDQM = "http://standardterms.edqm.eu"
UCUM = "http://unitsofmeasure.org"
ATC = "http://www.whocc.no/atc"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
NDC = "http://hl7.org/fhir/sid/ndc"
CUD_TYPE = "http://hl7.org/fhir/clinical-use-definition-type"
CUD_CATEGORY = "http://hl7.org/fhir/clinical-use-definition-category"
DOC_TYPE_LOINC = "http://loinc.org"

# The project's own definitions live under one canonical base, configurable for deployments.
CANONICAL_BASE = os.environ.get("FHIR_ADAPTER_CANONICAL_BASE", "https://fhir-adapter.github.io/fhir").rstrip("/")
PRODUCT_CODES = f"{CANONICAL_BASE}/CodeSystem/product"
# Marketing authorisation / registration numbers as printed on labels that name no coded registry.
REGISTRATION_CODES = f"{CANONICAL_BASE}/CodeSystem/registration-number"
SOURCE_SPAN_EXT = f"{CANONICAL_BASE}/StructureDefinition/source-span"
CLASSIFICATION_TYPE = f"{CANONICAL_BASE}/CodeSystem/classification-type"
PROFILE_MEDICATION = f"{CANONICAL_BASE}/StructureDefinition/fhir-adapter-medication"
PROFILE_MEDICATION_KNOWLEDGE = f"{CANONICAL_BASE}/StructureDefinition/fhir-adapter-medication-knowledge"
PROFILE_CLINICAL_USE = f"{CANONICAL_BASE}/StructureDefinition/fhir-adapter-clinical-use-definition"
