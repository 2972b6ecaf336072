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


def test_a_secret_split_by_a_line_break_or_lowercased_is_found():
    r = Redactor(values=["sk-abcdef0123456789"])
    assert r.text("x sk-abcdef\n0123456789 y") == "x [REDACTED] y"
    assert r.text("x sk-abc\r\ndef0123456789") == "x [REDACTED]"
    assert r.text("x-ratelimit-sk-abcdef0123456789".lower()) == "x-ratelimit-[REDACTED]"
    assert r.headers({"x-SK-ABCDEF0123456789": "1"}) == {"x-[REDACTED]": "1"}


def test_only_the_cookie_value_is_a_secret():
    r = Redactor()
    r.learn_headers([("Set-Cookie", "sid=samples; Path=/; Max-Age=3600; HttpOnly")])
    assert r.text("3600 Path HttpOnly") == "3600 Path HttpOnly"
    assert r.value({"samples": "samples here"}) == {"[REDACTED]": "[REDACTED] here"}
    r.learn_headers([("Cookie", "a=first1; b=second2")])
    assert r.text("first1 second2") == "[REDACTED] [REDACTED]"


def test_find_in_looks_for_the_credentials_we_send_only():
    r = Redactor(values=["sk-abcdef0123456789"])
    r.learn_headers([("set-cookie", "sid=samples")])
    assert r.find_in({"samples": [{"body": "fine"}]}) is None  # a server cookie does not stop the layout
    assert r.find_in({"samples": [{"body": {"k": "SK-ABCDEF0123456789"}}]}) == "#/samples/0/body/k"
    assert r.find_in({"samples": [{"sk-abcdef\n0123456789": 1}]}) == "#/samples/0"


def test_secret_query_parameters_in_a_url_and_a_query():
    r = Redactor(["x-tenant-secret"])
    url = "/v1/x?api_key=sk1234567&Access-Token=abcd%2Bef&x_tenant_secret=t9&model=m&keys=3#frag"
    assert r.url(url) == ("/v1/x?api_key=[REDACTED]&Access-Token=[REDACTED]&x_tenant_secret=[REDACTED]"
                          "&model=m&keys=3#frag")
    assert r.query({"client_secret": "cs", "key": 5, "monkey": "banana", "tokens": 7}) == {
        "client_secret": REDACTED, "key": REDACTED, "monkey": "banana", "tokens": 7}
    # near pair: no secret name, nothing changed (the text stays as written, encoding included)
    plain = "/v1/x?model=gpt%2Dx&limit=10&q=a+b"
    assert r.url(plain) == plain and r.url("/v1/x") == "/v1/x"


def test_secret_query_values_learned_as_credentials():
    r = Redactor()
    r.learn_query("/ws?token=tok-learned-1234&model=gpt-model-x", {"client_secret": "cs-learned-5678"})
    assert r.text("echo tok-learned-1234 and cs-learned-5678") == f"echo {REDACTED} and {REDACTED}"
    assert r.text("gpt-model-x") == "gpt-model-x"
    assert r.find_in({"a": "x tok-learned-1234"}) == "#/a" and r.find_in({"a": "gpt-model-x"}) is None
