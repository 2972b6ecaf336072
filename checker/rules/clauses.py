"""The clauses of ../shared/POLICY.md, quoted once so every rule names its clause the same way."""

# Allowed (additive) clauses, from OpenAI's backwards-compatibility statement.
NEW_RESOURCE = "adding new resources (URLs)"
NEW_OPTIONAL_PARAMETER = "adding new optional API parameters"
NEW_RESPONSE_PROPERTY = "adding new properties to JSON response objects or event data"
ORDER = "changing the order of properties"
OPAQUE = "changing the length or format of opaque strings, like resource identifiers"
NEW_EVENT_TYPE = "adding new event types in streaming APIs"

# Breaking and other rows of the policy table.
ENDPOINT_REMOVED = "endpoint / operation removed"
REMOVED = "property or parameter removed"
NEWLY_REQUIRED = "newly required"
NO_LONGER_REQUIRED = "no longer required"
TYPE_CHANGED = "type changed"
BECOMES_NULLABLE = "becomes nullable"
STOPS_NULLABLE = "stops being nullable"
ENUM_ADDED = "enum value added"
ENUM_REMOVED = "enum value removed / const changed"
TIGHTENED = "constraint tightened"
LOOSENED = "constraint loosened"
UNION_ADDED = "union member (oneOf/anyOf branch) added"
UNION_REMOVED = "union member removed"
FORMAT_CHANGED = "format changed"
DEFAULT_CHANGED = "default changed"
MEDIA_TYPE_REMOVED = "media type removed"
STATUS_REMOVED = "success status code removed"
HEADER_REMOVED = "required response header removed"
SECURITY_ADDED = "security requirement added / scope added"
CLIENT_EVENT_REMOVED = "client event type removed (a message the server no longer accepts)"
NEW_CLIENT_EVENT = "new client event type (a message the server now accepts)"
ANNOTATION = "description, summary, example, title"
RECORDED = "recorded traffic"
# Where the policy lists nothing: "anything else that can make a working client fail is breaking";
# a change apicompat cannot read is flagged for a person to judge.
UNJUDGED = "anything else that can make a working client fail"
SECURITY_SCHEME_CHANGED = ("security scheme changed (type, `in`, header or query name, HTTP scheme, OAuth flow or "
                           "token URL, scope removed)")
# The principle itself, for rows the table does not spell out.
REQUEST_PRINCIPLE = "request direction: the new contract must accept everything the old one accepted"
RESPONSE_PRINCIPLE = "response direction: the new contract may only promise less variety than the old one"
IRREGULAR = "documents that are not quite valid: read, and each irregularity reported once with how it was read"
