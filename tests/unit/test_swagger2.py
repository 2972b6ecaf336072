"""Swagger 2.0 inputs: converted to OpenAPI 3.0 in memory (apicompat.openapi.swagger2) before diffing."""

from __future__ import annotations

import copy

from apicompat import DiffOptions, diff_documents
from apicompat.load import Document
from apicompat.openapi.swagger2 import convert

SWAGGER = {
    "swagger": "2.0",
    "info": {"title": "Pets", "version": "1.0"},
    "host": "api.example.com",
    "basePath": "/v1",
    "schemes": ["https"],
    "consumes": ["application/json"],
    "produces": ["application/json"],
    "securityDefinitions": {
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "oauth": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a.example.com/auth",
                  "tokenUrl": "https://a.example.com/token", "scopes": {"read": "read pets"}},
    },
    "security": [{"key": []}],
    "parameters": {"Limit": {"name": "limit", "in": "query", "type": "integer", "minimum": 1}},
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "parameters": [{"$ref": "#/parameters/Limit"},
                               {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "schema": {
                    "type": "array", "items": {"$ref": "#/definitions/Pet"}}}},
            },
            "post": {
                "operationId": "createPet",
                "parameters": [{"name": "pet", "in": "body", "required": True,
                                "schema": {"$ref": "#/definitions/NewPet"}}],
                "responses": {"201": {"description": "created", "schema": {"$ref": "#/definitions/Pet"},
                                      "headers": {"X-Rate": {"type": "integer", "description": "left"}}}},
            },
        },
        "/pets/{petId}": {
            "parameters": [{"name": "petId", "in": "path", "required": True, "type": "string"}],
            "get": {"operationId": "getPet", "responses": {
                "200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}},
                "default": {"description": "error", "schema": {"$ref": "#/definitions/Error"}}}},
            "delete": {"operationId": "deletePet", "responses": {"204": {"description": "gone"}}},
        },
        "/pets/{petId}/photo": {
            "post": {
                "consumes": ["multipart/form-data"],
                "parameters": [{"name": "petId", "in": "path", "required": True, "type": "string"},
                               {"name": "file", "in": "formData", "type": "file", "required": True},
                               {"name": "caption", "in": "formData", "type": "string"}],
                "responses": {"200": {"description": "ok"}},
            },
        },
    },
    "definitions": {
        "Pet": {"type": "object", "required": ["id", "name"], "properties": {
            "id": {"type": "string"}, "name": {"type": "string"},
            "tag": {"type": "string", "x-nullable": True},
            "owner": {"$ref": "#/definitions/Owner"}}},
        "NewPet": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "tag": {"type": "string"}}},
        "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
    },
}

# What SWAGGER says, written as OpenAPI 3.0 by hand.
OPENAPI30 = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1.0"},
    "servers": [{"url": "https://api.example.com/v1"}],
    "security": [{"key": []}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "tags", "in": "query", "style": "form", "explode": False,
                     "schema": {"type": "array", "items": {"type": "string"}}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}}}},
            },
            "post": {
                "operationId": "createPet",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/NewPet"}}}},
                "responses": {"201": {
                    "description": "created",
                    "headers": {"X-Rate": {"description": "left", "schema": {"type": "integer"}}},
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}},
            },
        },
        "/pets/{petId}": {
            "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"operationId": "getPet", "responses": {
                "200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Pet"}}}},
                "default": {"description": "error", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Error"}}}}}},
            "delete": {"operationId": "deletePet", "responses": {"204": {"description": "gone"}}},
        },
        "/pets/{petId}/photo": {
            "post": {
                "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["file"], "properties": {
                        "file": {"type": "string", "format": "binary"}, "caption": {"type": "string"}}}}}},
                "responses": {"200": {"description": "ok"}},
            },
        },
    },
    "components": {
        "schemas": {
            "Pet": {"type": "object", "required": ["id", "name"], "properties": {
                "id": {"type": "string"}, "name": {"type": "string"},
                "tag": {"type": "string", "nullable": True},
                "owner": {"$ref": "#/components/schemas/Owner"}}},
            "NewPet": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"}, "tag": {"type": "string"}}},
            "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
        },
        "securitySchemes": {
            "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
            "oauth": {"type": "oauth2", "flows": {"authorizationCode": {
                "authorizationUrl": "https://a.example.com/auth", "tokenUrl": "https://a.example.com/token",
                "scopes": {"read": "read pets"}}}},
        },
    },
}


def diff(old, new):
    return diff_documents(Document("old.yaml", old), Document("new.yaml", new), DiffOptions())


def found(report) -> dict[str, list]:
    out: dict[str, list] = {}
    for c in report.changes:
        out.setdefault(c.rule, []).append(c)
    return out


def edited(fn) -> dict:
    doc = copy.deepcopy(SWAGGER)
    fn(doc)
    return doc


def test_identical_swagger_documents_have_no_change():
    report = diff(SWAGGER, copy.deepcopy(SWAGGER))
    assert report.changes == []
    assert any("Swagger 2.0, converted" in n for n in report.notes)


def test_removed_endpoint_is_breaking():
    report = diff(SWAGGER, edited(lambda d: d["paths"]["/pets/{petId}"].pop("delete")))
    changes = found(report)
    assert [c.operations for c in changes["endpoint-removed"]] == [("DELETE /pets/{petId}",)]
    assert report.worst().label == "breaking"


def test_new_required_body_property_is_breaking():
    def add(d):
        d["definitions"]["NewPet"]["properties"]["species"] = {"type": "string"}
        d["definitions"]["NewPet"]["required"].append("species")

    changes = found(diff(SWAGGER, edited(add)))
    assert list(changes) == ["request-property-added-required"]
    change = changes["request-property-added-required"][0]
    assert change.severity.label == "breaking"
    assert change.operations == ("POST /pets",)
    assert change.pointer == "#/definitions/NewPet/properties/species"  # the file's own place


def test_removed_response_property_is_breaking():
    changes = found(diff(SWAGGER, edited(lambda d: d["definitions"]["Pet"]["properties"].pop("tag"))))
    removed = changes["response-property-removed"][0]
    assert removed.pointer == "#/definitions/Pet/properties/tag"
    assert set(removed.operations) >= {"GET /pets", "GET /pets/{petId}", "POST /pets"}


def test_new_required_form_field_and_x_nullable_dropped():
    def edit(d):
        d["paths"]["/pets/{petId}/photo"]["post"]["parameters"].append(
            {"name": "alt", "in": "formData", "type": "string", "required": True})
        d["definitions"]["Pet"]["properties"]["tag"].pop("x-nullable")

    changes = found(diff(SWAGGER, edited(edit)))
    assert sorted(changes) == ["request-property-added-required", "response-became-not-nullable"]
    assert changes["request-property-added-required"][0].pointer == \
        "#/paths/~1pets~1{petId}~1photo/post/parameters/3"  # the new form parameter itself
    assert changes["response-became-not-nullable"][0].pointer == "#/definitions/Pet/properties/tag"


def test_swagger_vs_equivalent_openapi30_has_nothing_above_info():
    for old, new in ((SWAGGER, OPENAPI30), (OPENAPI30, SWAGGER)):
        report = diff(old, new)
        above = [(c.rule, c.pointer) for c in report.changes if c.severity.label != "info"]
        assert above == [], above


def test_conversion_details():
    doc = convert(SWAGGER)
    assert doc["openapi"] == "3.0.3"
    assert "definitions" not in doc and doc["components"]["schemas"]["Pet"]["properties"]["tag"]["nullable"] is True
    photo = doc["paths"]["/pets/{petId}/photo"]["post"]
    assert list(photo["requestBody"]["content"]) == ["multipart/form-data"]
    urlencoded = convert({"swagger": "2.0", "paths": {"/f": {"post": {"parameters": [
        {"name": "a", "in": "formData", "type": "string"}], "responses": {}}}}})
    assert list(urlencoded["paths"]["/f"]["post"]["requestBody"]["content"]) == ["application/x-www-form-urlencoded"]
    multi = convert({"swagger": "2.0", "paths": {"/f": {"get": {"parameters": [
        {"name": "a", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"}],
        "responses": {}}}}})
    assert multi["paths"]["/f"]["get"]["parameters"][0]["explode"] is True
    assert convert({"swagger": "2.0", "securityDefinitions": {"b": {"type": "basic"}}, "paths": {}})[
        "components"]["securitySchemes"]["b"] == {"type": "http", "scheme": "basic"}
    assert convert({"swagger": "2.0", "definitions": {"A": {"discriminator": "kind"}}, "paths": {}})[
        "components"]["schemas"]["A"]["discriminator"] == {"propertyName": "kind"}
    assert SWAGGER["paths"]["/pets"]["get"]["responses"]["200"]["schema"]["items"]["$ref"] == "#/definitions/Pet"
