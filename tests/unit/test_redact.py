from apicompat.record.redact import REDACTED, Redactor


def test_key_value_scrubbed_everywhere():
    r = Redactor(["x-secret-header"], ["sk-test-SECRETSECRET"])
    body = {"echo": "Bearer sk-test-SECRETSECRET", "nested": [{"k": "sk-test-SECRETSECRET"}],
            "X-Secret-Header": "abc", "ok": 1}
    out = r.value(body)
    assert out == {"echo": f"Bearer {REDACTED}", "nested": [{"k": REDACTED}], "X-Secret-Header": REDACTED, "ok": 1}
    assert r.text("error: sk-test-SECRETSECRET rejected") == f"error: {REDACTED} rejected"


def test_secret_headers_learned_and_replaced():
    r = Redactor()
    r.learn_headers([("Set-Cookie", "sid=cookievalue123; Path=/; Secure"), ("x-request-id", "req_1")])
    assert r.headers({"set-cookie": "x", "x-request-id": "req_1", "x-echo": "got cookievalue123"}) == {
        "set-cookie": REDACTED, "x-request-id": "req_1", "x-echo": f"got {REDACTED}"}
    for name in ("Authorization", "Cookie", "OpenAI-Organization", "OpenAI-Project"):
        assert r.is_secret_name(name)


def test_short_values_only_replaced_whole():
    r = Redactor(values=["ab"])
    assert r.text("ab") == REDACTED and r.text("cabbage") == "cabbage"
