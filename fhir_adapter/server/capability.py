"""The CapabilityStatement: what this server really does, built from its search parameters."""
from __future__ import annotations

from ..store import Registry
from ..terminology import systems

WRITABLE = ("MedicationKnowledge", "Medication", "ClinicalUseDefinition", "PackagedProductDefinition",
            "ManufacturedItemDefinition", "DocumentReference", "Group")
READ_ONLY = ("SearchParameter", "StructureDefinition", "ValueSet", "CodeSystem", "OperationDefinition")
SERVED = WRITABLE + READ_ONLY


VALIDATE = f"{systems.CANONICAL_BASE}/OperationDefinition/validate"


def capability_statement(registry: Registry, base: str, profiles: dict[str, str], version: str) -> dict:
    """profiles: the project's profile URLs and the resource type each constrains."""
    resources = []
    for rtype in SERVED:
        interactions = ["read", "vread", "search-type", "history-instance", "history-type"]
        if rtype in WRITABLE:
            interactions += ["create", "update", "delete"]
        params = []
        for code, p in sorted(registry.for_type(rtype).items()):
            entry = {"name": code, "type": p.type, "documentation": p.description or f"{p.type} search on {p.expression}"}
            if p.url:
                entry["definition"] = p.url
            params.append(entry)
        params.append({"name": "_has", "type": "special",
                       "documentation": "Reverse chaining: _has:Type:reference:parameter=value"})
        res = {
            "type": rtype,
            "interaction": [{"code": c} for c in interactions],
            "versioning": "versioned-update",
            "readHistory": True,
            "updateCreate": rtype in WRITABLE,
            "conditionalCreate": rtype in WRITABLE,
            "conditionalRead": "modified-since",
            "conditionalUpdate": False,
            "conditionalDelete": "not-supported",
            "referencePolicy": ["literal", "local"],
            "searchInclude": sorted({f"{rtype}:{c}" for c, p in registry.for_type(rtype).items() if p.type == "reference"})
            + ["*"],
            "searchRevInclude": sorted({f"{t}:{c}" for t in SERVED for c, p in registry.for_type(t).items()
                                        if p.type == "reference" and (rtype in p.targets or not p.targets)}),
            "searchParam": params,
        }
        own = sorted(u for u, t in profiles.items() if t == rtype)
        if own:
            res["supportedProfile"] = own
        if rtype in WRITABLE:
            res["operation"] = [{"name": "validate", "definition": VALIDATE,
                                 "documentation": "POST [type]/$validate or [type]/[id]/$validate"}]
        resources.append(res)
    return {
        "resourceType": "CapabilityStatement",
        "id": "fhir-adapter",
        "url": f"{systems.CANONICAL_BASE}/CapabilityStatement/fhir-adapter",
        "version": version,
        "name": "FhirAdapterServer",
        "title": "fhir-adapter FHIR R5 server",
        "status": "active",
        "date": "2026-12-01",
        "publisher": "fhir-adapter",
        "description": "Medication knowledge converted from drug monographs, served over the FHIR R5 REST API.",
        "kind": "instance",
        "software": {"name": "fhir-adapter", "version": version},
        "implementation": {"description": "fhir-adapter embedded SQLite store", "url": base},
        "fhirVersion": "5.0.0",
        "format": ["application/fhir+json", "application/fhir+xml", "json", "xml"],
        "rest": [{
            "mode": "server",
            "documentation": "Search parameters are SearchParameter resources indexed by FHIRPath at write time. "
                             "Unknown or malformed search parameters are ignored and reported in an "
                             "OperationOutcome entry; send Prefer: handling=strict to get 400 instead.",
            "resource": resources,
            "interaction": [{"code": "transaction"}, {"code": "batch"}, {"code": "history-system"}],
        }],
    }
