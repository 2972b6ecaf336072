"""The JSON Schemas of apicompat's own file formats (report, policy, plan), shipped as package data
and read by apicompat.jsonschemas. No code lives here."""
