"""Every field of every entity kind, declared once (pure data; imports nothing outside ``ontology/``).

A field is its name (the predicate's local name, the key in ``Entity.fields``, the Neo4j property
and the GraphQL field's source), its predicate IRI, its value type (``text``, ``ref``, ``refs``,
``enum``, ``bool``, ``list``, ``date``, ``datetime``, ``int``, ``region``), whether it holds one
value or many, the kind it references (ref/refs) or the code list of its values (enum), and
whether it is personal data or a phone number (hidden from callers without the right). The code
and the name (``dcterms:identifier``, ``rdfs:label``) are every kind's and not listed here.

``graph.base.FIELDS``, the Neo4j projection's property table and the access policy's personal
and phone fields derive from :data:`FIELDS`; the template layer (``loaders.spec``) adds the
Chinese header, sheet, required flag, note and bounds of each field's column."""

from __future__ import annotations

from dataclasses import dataclass

from ontology.namespaces import DCTERMS, ORG, SKOS, YS

__all__ = ["Field", "FIELDS", "VALUE_TYPES", "field", "personal_fields", "phone_fields"]

VALUE_TYPES = ("text", "ref", "refs", "enum", "bool", "list", "date", "datetime", "int", "region")


@dataclass(frozen=True)
class Field:
    name: str  # predicate local name = Entity.fields key = Neo4j property
    pred: str  # full predicate IRI
    value: str  # one of VALUE_TYPES
    target: str | None = None  # ref/refs: the entity kind referenced; enum: the code list
    personal: bool = False  # personal data (a named person)
    phone: bool = False  # a phone number

    @property
    def many(self) -> bool:
        """refs and list fields hold several values (a sorted list)."""
        return self.value in ("refs", "list")


F = Field

FIELDS: dict[str, tuple[Field, ...]] = {
    "department": (
        F("subOrganizationOf", ORG + "subOrganizationOf", "ref", "department"),
        F("adminLevel", YS + "adminLevel", "enum", "AdminLevel"),
        F("regionCode", YS + "regionCode", "region"),
        F("departmentType", YS + "departmentType", "enum", "DepartmentType"),
        F("chiefDataOfficer", YS + "chiefDataOfficer", "text", personal=True),
        F("sharingLeader", YS + "sharingLeader", "text", personal=True),
        F("sharingClerk", YS + "sharingClerk", "text", personal=True),
        F("contactPhone", YS + "contactPhone", "text", phone=True),
    ),
    "element": (
        F("altLabel", SKOS + "altLabel", "list"),
        F("standardBasis", YS + "standardBasis", "text"),
        F("authoritativeDepartment", YS + "authoritativeDepartment", "ref", "department"),
    ),
    "responsibility": (
        F("responsibilityType", YS + "responsibilityType", "enum", "ResponsibilityType"),
        F("implementedBy", YS + "implementedBy", "ref", "department"),
        F("legalBasis", YS + "legalBasis", "text"),
        F("produces", YS + "produces", "refs", "resource"),
        F("needsElement", YS + "needsElement", "refs", "element"),
    ),
    "system": (
        F("ownedBy", YS + "ownedBy", "ref", "department"),
        F("function", YS + "function", "text"),
        F("usageScope", YS + "usageScope", "enum", "UsageScope"),
        F("usageFrequency", YS + "usageFrequency", "enum", "UsageFrequency"),
        F("approvedBy", YS + "approvedBy", "ref", "department"),
        F("approvalDate", YS + "approvalDate", "date"),
        F("funding", YS + "funding", "enum", "Funding"),
        F("deployment", YS + "deployment", "enum", "Deployment"),
        F("network", YS + "network", "enum", "Network"),
        F("protectionLevel", YS + "protectionLevel", "enum", "ProtectionLevel"),
        F("classified", YS + "classified", "bool"),
        F("status", YS + "status", "enum", "SystemStatus"),
        F("connectedToPlatform", YS + "connectedToPlatform", "bool"),
        F("lastMaintained", YS + "lastMaintained", "date"),
        F("mergedInto", YS + "mergedInto", "ref", "system"),
    ),
    "resource": (
        F("description", DCTERMS + "description", "text"),
        F("resourceCategory", YS + "resourceCategory", "enum", "ResourceCategory"),
        F("baseDatabase", YS + "baseDatabase", "enum", "BaseDatabase"),
        F("provider", YS + "provider", "ref", "department"),
        F("sourceSystem", YS + "sourceSystem", "ref", "system"),
        F("scenario", YS + "scenario", "text"),
        F("publishedOn", YS + "publishedOn", "enum", "Platform"),
        F("sharingType", YS + "sharingType", "enum", "SharingType"),
        F("sharingConditions", YS + "sharingConditions", "text"),
        F("nonSharingBasis", YS + "nonSharingBasis", "text"),
        F("sharingMethod", YS + "sharingMethod", "enum", "SharingMethod"),
        F("openType", YS + "openType", "enum", "OpenType"),
        F("updateFrequency", YS + "updateFrequency", "enum", "UpdateFrequency"),
        F("sensitivity", YS + "sensitivity", "enum", "SensitivityLevel"),
        F("classified", YS + "classified", "bool"),
        F("issued", DCTERMS + "issued", "date"),
        F("format", DCTERMS + "format", "text"),
        F("derivedFrom", YS + "derivedFrom", "refs", "resource"),
        F("physicalDataset", YS + "physicalDataset", "list"),
    ),
    "item": (
        F("inResource", YS + "inResource", "ref", "resource"),
        F("carries", YS + "carries", "ref", "element"),
        F("dataType", YS + "dataType", "enum", "DataType"),
        F("length", YS + "length", "int"),
        F("authoritative", YS + "authoritative", "bool"),
        F("takenFrom", YS + "takenFrom", "ref", "resource"),
        F("sensitivity", YS + "sensitivity", "enum", "SensitivityLevel"),
    ),
    "request": (
        F("requester", YS + "requester", "ref", "department"),
        F("requestingSystem", YS + "requestingSystem", "ref", "system"),
        F("requestedResource", YS + "requestedResource", "ref", "resource"),
        F("scenario", YS + "scenario", "text"),
        F("requestBasis", YS + "requestBasis", "text"),
        F("requestedAt", YS + "requestedAt", "datetime"),
        F("requestStatus", YS + "requestStatus", "enum", "RequestStatus"),
        F("respondedAt", YS + "respondedAt", "datetime"),
        F("rejectionReason", YS + "rejectionReason", "text"),
        F("sharingMethod", YS + "sharingMethod", "enum", "SharingMethod"),
        F("satisfaction", YS + "satisfaction", "int"),
    ),
    "flow": (
        F("flowOf", YS + "flowOf", "ref", "resource"),
        F("sourceSystem", YS + "sourceSystem", "ref", "system"),
        F("targetDepartment", YS + "targetDepartment", "ref", "department"),
        F("targetSystem", YS + "targetSystem", "ref", "system"),
        F("targetResource", YS + "targetResource", "ref", "resource"),
        F("viaPlatform", YS + "viaPlatform", "enum", "Platform"),
        F("exchangeMethod", YS + "exchangeMethod", "enum", "SharingMethod"),
        F("frequency", YS + "frequency", "enum", "UpdateFrequency"),
        F("returnFlow", YS + "returnFlow", "bool"),
        F("monthlyCalls", YS + "monthlyCalls", "int"),
    ),
}


def field(kind: str, name: str) -> Field:
    """The field ``name`` of ``kind``; KeyError says which."""
    for f in FIELDS[kind]:
        if f.name == name:
            return f
    raise KeyError(f"{kind} has no field {name!r}")


def personal_fields() -> tuple[str, ...]:
    """Names of the fields holding personal data, in declaration order, each once."""
    return tuple(dict.fromkeys(f.name for fs in FIELDS.values() for f in fs if f.personal))


def phone_fields() -> tuple[str, ...]:
    """Names of the fields holding phone numbers, in declaration order, each once."""
    return tuple(dict.fromkeys(f.name for fs in FIELDS.values() for f in fs if f.phone))
