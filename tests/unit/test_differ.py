"""The differ's semantics: equivalences that must give nothing, and judgements per POLICY.md."""

from apicompat import DiffOptions, Severity, diff_documents, diff_schemas
from apicompat.load import Document

S = {"type": "string"}


def rules(report, at_least=Severity.INFO):
    return {c.rule for c in report.changes if c.severity >= at_least}


def spec(schemas: dict, paths: dict) -> dict:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths,
            "components": {"schemas": schemas}}


def get_json(ref_or_schema) -> dict:
    return {"get": {"responses": {"200": {"description": "ok", "content": {
        "application/json": {"schema": ref_or_schema}}}}}}


def post_json(ref_or_schema) -> dict:
    return {"post": {"requestBody": {"content": {"application/json": {"schema": ref_or_schema}}},
                     "responses": {"200": {"description": "ok"}}}}


def diff_specs(old, new):
    return diff_documents(Document("old.yaml", old), Document("new.yaml", new), DiffOptions())


def test_renaming_a_component_is_no_change():
    job = {"type": "object", "properties": {"id": S}, "required": ["id"]}
    old = spec({"Job": job}, {"/jobs": get_json({"$ref": "#/components/schemas/Job"})})
    new = spec({"JobV2": job}, {"/jobs": get_json({"$ref": "#/components/schemas/JobV2"})})
    assert rules(diff_specs(old, new), Severity.ADDITIVE) == set()


def test_inlining_a_component_is_no_change():
    job = {"type": "object", "properties": {"id": S}}
    old = spec({"Job": job}, {"/jobs": get_json({"$ref": "#/components/schemas/Job"})})
    new = spec({}, {"/jobs": get_json(job)})
    assert rules(diff_specs(old, new), Severity.ADDITIVE) == set()


def test_property_moved_into_allof_is_no_change():
    old = {"type": "object", "properties": {"a": S, "b": S}, "required": ["a"]}
    new = {"allOf": [{"type": "object", "properties": {"a": S}, "required": ["a"]},
                     {"type": "object", "properties": {"b": S}}]}
    assert rules(diff_schemas(old, new), Severity.ADDITIVE) == set()
    assert rules(diff_schemas(old, new, "request"), Severity.ADDITIVE) == set()


def test_three_spellings_of_nullable_are_equal():
    spellings = [
        {"type": "string", "nullable": True},
        {"type": ["string", "null"]},
        {"anyOf": [S, {"type": "null"}]},
        {"oneOf": [{"type": "null"}, S]},
    ]
    for a in spellings:
        for b in spellings:
            assert rules(diff_schemas(a, b), Severity.ADDITIVE) == set(), (a, b)


def test_nullable_direction():
    assert "response-became-nullable" in rules(diff_schemas(S, {"type": ["string", "null"]}))
    assert rules(diff_schemas(S, {"type": ["string", "null"]}, "request"), Severity.WARNING) == set()
    assert "request-became-not-nullable" in rules(diff_schemas({"type": ["string", "null"]}, S, "request"))


def event(name, **props):
    return {"type": "object", "required": ["type"],
            "properties": {"type": {"type": "string", "enum": [name]}, **props}}


def test_event_inserted_mid_list_is_only_additive():
    old = {"anyOf": [event("a"), event("b"), event("c", x=S)]}
    new = {"anyOf": [event("a"), event("new"), event("b"), event("c", x=S)]}
    report = diff_schemas(old, new)
    assert [c.rule for c in report.changes] == ["response-event-type-added"]
    assert report.changes[0].severity is Severity.ADDITIVE


def test_event_removed_is_breaking_and_payload_is_judged_response_side():
    old = {"anyOf": [event("a", x=S), event("b")]}
    new = {"anyOf": [event("a")]}
    found = rules(diff_schemas(old, new))
    assert {"response-event-type-removed", "response-property-removed"} <= found


def test_union_member_inserted_mid_list_changes_nothing_else():
    # Closed objects that each require their own property: no value matches two of them, so the
    # oneOf's "exactly one" adds nothing (tests/unit/test_unions.py covers overlapping members).
    def closed(name):
        return {"type": "object", "title": name.upper(), "properties": {name: S}, "required": [name],
                "additionalProperties": False}

    a, b, c = closed("a"), closed("b"), closed("c")
    report = diff_schemas({"oneOf": [a, b]}, {"oneOf": [a, c, b]}, "request")
    assert [c.rule for c in report.changes] == ["request-union-member-added"]


def test_anyof_string_enum_widening_is_harmless_in_requests():
    old = {"type": "string", "enum": ["256x256", "512x512"]}
    new = {"anyOf": [S, {"type": "string", "enum": ["256x256", "512x512", "1024x1024"]}]}
    assert rules(diff_schemas(old, new, "request"), Severity.WARNING) == set()
    narrowed = {"anyOf": [S, {"type": "string", "enum": ["256x256"]}]}
    assert rules(diff_schemas(new, narrowed, "request"), Severity.WARNING) == set()
    assert "request-enum-value-removed" in rules(diff_schemas(old, {"type": "string", "enum": ["256x256"]}, "request"))


def test_stripe_empty_string_idiom_is_harmless_in_responses():
    old = {"type": "string", "maxLength": 5000}
    new = {"anyOf": [{"type": "string", "maxLength": 5000}, {"type": "string", "enum": [""]}]}
    assert rules(diff_schemas(old, new), Severity.WARNING) == set()


def test_recursive_schemas_terminate_and_report_once():
    node = {"type": "object", "properties": {"name": S, "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}
    new_node = {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}
    old = {"$ref": "#/$defs/Node", "$defs": {"Node": node}}
    new = {"$ref": "#/$defs/Node", "$defs": {"Node": new_node}}
    report = diff_schemas(old, new)
    assert [(c.rule, c.pointer) for c in report.changes] == [("response-property-removed", "#/$defs/Node/properties/name")]


def test_shared_component_is_reported_once_with_every_operation():
    old = spec({"Job": {"type": "object", "properties": {"a": S, "b": S}}},
               {"/jobs": get_json({"$ref": "#/components/schemas/Job"}),
                "/jobs/{id}": get_json({"$ref": "#/components/schemas/Job"})})
    new = spec({"Job": {"type": "object", "properties": {"a": S}}},
               {"/jobs": get_json({"$ref": "#/components/schemas/Job"}),
                "/jobs/{job_id}": get_json({"$ref": "#/components/schemas/Job"})})
    report = diff_specs(old, new)
    removed = [c for c in report.changes if c.rule == "response-property-removed"]
    assert len(removed) == 1
    assert set(removed[0].operations) == {"GET /jobs", "GET /jobs/{id}"}
    assert not any(c.rule.startswith("endpoint") for c in report.changes)


def test_schema_used_on_both_sides_is_judged_on_each():
    shared = {"type": "object", "properties": {"a": S, "b": S}}
    smaller = {"type": "object", "properties": {"a": S}}
    paths = lambda: {"/jobs": {**get_json({"$ref": "#/components/schemas/Job"}),
                               **post_json({"$ref": "#/components/schemas/Job"})}}
    report = diff_specs(spec({"Job": shared}, paths()), spec({"Job": smaller}, paths()))
    by_rule = {c.rule: c for c in report.changes}
    assert by_rule["response-property-removed"].severity is Severity.BREAKING
    assert by_rule["request-property-removed"].severity is Severity.WARNING


def test_opaque_ids_and_x_opaque():
    old = {"type": "object", "properties": {"file_id": {"type": "string", "maxLength": 10},
                                            "token": {"type": "string", "pattern": "^t", "x-opaque": True},
                                            "name": {"type": "string", "maxLength": 10}}}
    new = {"type": "object", "properties": {"file_id": {"type": "string", "maxLength": 40},
                                            "token": {"type": "string", "pattern": "^tok", "x-opaque": True},
                                            "name": {"type": "string", "maxLength": 40}}}
    report = diff_schemas(old, new)
    by_pointer = {c.pointer: c.rule for c in report.changes}
    assert by_pointer["#/properties/file_id"] == "response-opaque-string-changed"
    assert by_pointer["#/properties/token"] == "response-opaque-string-changed"
    assert by_pointer["#/properties/name"] == "response-max-length-increased"


def test_read_only_properties_do_not_matter_in_requests():
    old = {"type": "object", "properties": {"id": {"type": "string", "readOnly": True}, "a": S}}
    new = {"type": "object", "properties": {"a": S, "created": {"type": "integer", "readOnly": True}},
           "required": ["created"]}
    assert rules(diff_schemas(old, new, "request"), Severity.ADDITIVE) == set()
    assert "response-property-removed" in rules(diff_schemas(old, new))


def test_type_lattice():
    assert rules(diff_schemas({"type": "integer"}, {"type": "number"}, "request")) == {"request-type-widened"}
    assert diff_schemas({"type": "integer"}, {"type": "number"}).changes[0].severity is Severity.BREAKING
    assert rules(diff_schemas({"type": "number"}, {"type": "integer"})) == {"response-type-narrowed"}


def test_format_lattice():
    def one(a, b, direction="request"):
        return rules(diff_schemas({"type": "integer", "format": a}, {"type": "integer", "format": b}, direction))
    assert one("int32", "int64") == {"request-format-widened"}
    assert one("int64", "int32") == {"request-format-narrowed"}
    assert rules(diff_schemas({"type": "string", "format": "date"}, S, "request")) == {"request-format-widened"}
    assert rules(diff_schemas({"type": "integer"}, {"type": "integer", "format": "unixtime"})) == {"response-format-annotation-changed"}


def test_draft07_definitions_and_tuple_items():
    old = {"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"P": {"type": "string"}},
           "type": "array", "items": [{"$ref": "#/definitions/P"}, {"type": "integer"}]}
    new = {"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"Q": {"type": "string"}},
           "type": "array", "items": [{"$ref": "#/definitions/Q"}, {"type": "number"}]}
    assert rules(diff_schemas(old, new)) == {"response-type-widened"}


def test_exclusive_bounds_in_both_dialects_are_one_bound():
    old30 = {"type": "number", "maximum": 10, "exclusiveMaximum": True}
    new31 = {"type": "number", "exclusiveMaximum": 10}
    assert diff_schemas(old30, new31).changes == []


def test_extensible_enum_additions_are_additive_in_responses():
    report = diff_schemas({"type": "string", "x-extensible-enum": ["a"]}, {"type": "string", "x-extensible-enum": ["a", "b"]})
    assert [(c.rule, c.severity) for c in report.changes] == [("response-extensible-enum-value-added", Severity.ADDITIVE)]


def test_response_enum_value_added_is_a_warning():
    report = diff_schemas({"enum": ["a"]}, {"enum": ["a", "b"]})
    assert [(c.rule, c.severity) for c in report.changes] == [("response-enum-value-added", Severity.WARNING)]


def test_fingerprint_is_stable_and_distinct():
    a = diff_schemas({"type": "object", "properties": {"x": S, "y": S}}, {"type": "object"})
    b = diff_schemas({"type": "object", "properties": {"x": S, "y": S}}, {"type": "object"})
    fa = [c.fingerprint for c in a.changes]
    assert fa == [c.fingerprint for c in b.changes]
    assert len(set(fa)) == len(fa) == 2


def test_an_unchanged_component_that_uses_a_changed_one_is_still_diffed():
    """The fast path skips only components whose whole reference closure is unchanged."""
    a = {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}}
    old = spec({"A": a, "B": {"type": "object", "properties": {"x": S, "y": S}}, "C": {"$ref": "#/components/schemas/A"}},
               {"/a": get_json({"$ref": "#/components/schemas/C"})})
    new = spec({"A": a, "B": {"type": "object", "properties": {"x": S}}, "C": {"$ref": "#/components/schemas/A"}},
               {"/a": get_json({"$ref": "#/components/schemas/C"})})
    report = diff_specs(old, new)
    assert [(c.rule, c.pointer, c.operations) for c in report.changes] == [
        ("response-property-removed", "#/components/schemas/B/properties/y", ("GET /a",))]


def _event_union(members: dict, events: dict, extra: dict | None = None) -> dict:
    union = {"oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in events],
             "discriminator": {"propertyName": "type"}, **(extra or {})}
    return spec({**members, **events, "Stream": union}, {"/s": get_json({"$ref": "#/components/schemas/Stream"})})


def _ev(kind: str, **props) -> dict:
    return {"type": "object", "required": ["type"],
            "properties": {"type": {"type": "string", "enum": [kind]}, **props}}


def test_union_members_whose_closure_changed_are_diffed_beside_unchanged_ones():
    """A union's member that is the same unchanged component in both documents is skipped (the
    walker's fast path for members); one whose own content, or a component it refers to, changed
    is still diffed and reported."""
    item = {"type": "object", "properties": {"x": S, "y": S}}
    old = _event_union({"Item": item}, {"A": _ev("a", item={"$ref": "#/components/schemas/Item"}),
                                        "B": _ev("b", v=S), "C": _ev("c", w=S)})
    new = _event_union({"Item": {"type": "object", "properties": {"x": S}}},
                       {"A": _ev("a", item={"$ref": "#/components/schemas/Item"}), "B": _ev("b"),
                        "C": _ev("c", w=S)})
    found = sorted((c.rule, c.pointer) for c in diff_specs(old, new).changes)
    assert found == [("response-property-removed", "#/components/schemas/B/properties/v"),
                     ("response-property-removed", "#/components/schemas/Item/properties/y")]
    assert diff_specs(old, old).changes == []


def test_union_members_combined_with_changed_siblings_are_diffed_though_the_component_is_not():
    """Members conjoined with keywords beside the union are not the bare component: a change beside
    the union reaches every member even when every member component is unchanged."""
    events = {"A": _ev("a", v=S), "B": _ev("b", w=S)}
    old = _event_union({}, events, {"properties": {"id": S}})
    new = _event_union({}, events, {"properties": {"id": {"type": "integer"}}})
    found = {(c.rule, c.pointer) for c in diff_specs(old, new).changes}
    assert found and all(rule == "response-type-changed" for rule, _ in found)


def test_a_component_reached_twice_gives_its_findings_once():
    """Two properties (and two levels) that reach one changed component: the walker's lists hold each
    finding once, and the report names the change once, with both operations."""
    from apicompat.schema import Node, Normaliser, Walker
    from apicompat.schema.refs import Resolver

    leaf_old = {"type": "object", "properties": {"x": S, "y": S}}
    leaf_new = {"type": "object", "properties": {"x": S}}
    ref = {"$ref": "#/components/schemas/Leaf"}
    mid = {"type": "object", "properties": {"a": ref, "b": ref}}
    top = {"type": "object", "properties": {"m": {"$ref": "#/components/schemas/Mid"},
                                             "n": {"$ref": "#/components/schemas/Mid"}}}
    paths = {"/one": get_json({"$ref": "#/components/schemas/Top"}),
             "/two": get_json({"$ref": "#/components/schemas/Mid"})}
    old = spec({"Leaf": leaf_old, "Mid": mid, "Top": top}, paths)
    new = spec({"Leaf": leaf_new, "Mid": mid, "Top": top}, paths)
    walker = Walker(Normaliser(Resolver(old, "old")), Normaliser(Resolver(new, "new")))
    at = "#/components/schemas/Top"
    found = walker.diff_nodes(Node(top, at), Node(top, at), "response")
    assert len(found) == len({id(f) for f in found}) == 1
    assert [(c.rule, c.pointer, c.operations) for c in diff_specs(old, new).changes] == [
        ("response-property-removed", "#/components/schemas/Leaf/properties/y", ("GET /one", "GET /two"))]


def test_a_ref_loop_with_no_content_is_refused_even_when_unchanged():
    import pytest

    from apicompat.errors import InputError

    doc = spec({"Loop": {"$ref": "#/components/schemas/Loop"}}, {"/a": get_json({"$ref": "#/components/schemas/Loop"})})
    with pytest.raises(InputError, match="loop"):
        diff_specs(doc, doc)


def test_large_unions_pair_members_by_shape_whatever_the_order():
    n = 300
    old = {"anyOf": [{"type": "object", "properties": {f"p{i}": {"type": "string"}}} for i in range(n)]}
    new = {"anyOf": [{"type": "object", "properties": {f"p{i}": {"type": "integer"}}} for i in reversed(range(n))]}
    report = diff_schemas(old, new)
    assert len(report.changes) == n
    assert {c.rule for c in report.changes} == {"response-type-changed"}
    assert {c.pointer.rsplit("/", 1)[-1] for c in report.changes} == {f"p{i}" for i in range(n)}


def test_a_renamed_event_type_is_one_removed_and_one_added_not_a_const_change():
    old = {"anyOf": [event("a.created", x=S), event("a.done", x=S)]}
    new = {"anyOf": [event("a.created", x=S), event("a.finished", x=S)]}
    found = sorted((c.rule, c.severity.label) for c in diff_schemas(old, new).changes)
    assert found == [("response-event-type-added", "additive"), ("response-event-type-removed", "breaking")]
    titled = {"anyOf": [{**event("a.created"), "title": "Ev"}, {**event("a.done"), "title": "Done"}]}
    retitled = {"anyOf": [{**event("a.created"), "title": "Ev"}, {**event("a.finished"), "title": "Done"}]}
    assert "response-const-changed" not in {c.rule for c in diff_schemas(titled, retitled).changes}


def test_a_type_beside_an_enum_of_the_same_values_is_no_type_change():
    """`{enum: [7], type: number}` and `{enum: [7]}` accept exactly 7: nothing to report on either side
    (the type read from the enum, integer, is no narrowing of number)."""
    for side in ("request", "response"):
        found = rules(diff_schemas({"enum": [7], "type": "number"}, {"enum": [7]}, side), Severity.WARNING)
        assert found == set(), (side, found)
        found = rules(diff_schemas({"enum": ["a", "b"]}, {"enum": ["a", "b"], "type": "string"}, side), Severity.WARNING)
        assert found == set(), (side, found)


def test_an_enum_whose_values_change_type_is_still_a_type_change():
    """The near pair: the enumerated values themselves change type (string -> integer): still a type change."""
    found = rules(diff_schemas({"enum": ["1"], "type": "string"}, {"enum": [1], "type": "integer"}, "response"))
    assert "response-type-changed" in found, found
    found = rules(diff_schemas({"enum": [1, "1"]}, {"enum": [1]}, "request"))
    assert "request-enum-value-removed" in found, found


def test_a_type_that_lets_no_enum_value_through_is_still_a_type_change():
    """The near pair the oracle found: `{enum: [42, 7], type: integer}` -> `type: boolean` rejects 42."""
    found = rules(diff_schemas({"enum": [42, 7], "type": "integer"}, {"enum": [42, 7], "type": "boolean"}, "request"),
                  Severity.BREAKING)
    assert found, found
