"""Security: the requirements an operation states, and the scheme definitions they name.

Both are judged request side: they say what a client must send to be let in. A requirement names a
scheme (`components.securitySchemes`); the client implements the scheme's definition (an API key in
a header, HTTP basic, an OAuth flow at a token URL). So a requirement is compared by the definition
it names, not by the name (a renamed scheme with the same definition changes nothing), and a changed
definition is reported once, at the scheme, naming the operations that require it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any

from ..collect import Collector
from ..jsontypes import mapping_at
from .index import Deref
from ..pointers import join
from ..rules import openapi_rules as R

SCHEMES_POINTER = "#/components/securitySchemes"
OAUTH_URLS = ("authorizationUrl", "tokenUrl", "refreshUrl")
# Fields that say nothing about what the client sends.
_DOCUMENTATION = frozenset({"description", "bearerFormat"})

Requirement = dict[str, list[Any]]  # scheme name -> scopes, as written


def requirements(value: object) -> list[Requirement]:
    """A `security` value as a list of {scheme name: [scopes]} alternatives."""
    if not isinstance(value, list):
        return []
    out = []
    for req in value:
        if isinstance(req, dict):
            out.append({str(k): [s for s in v if isinstance(s, str)] if isinstance(v, list) else []
                        for k, v in req.items()})
    return out


def satisfies(old_req: Requirement, cand: Requirement) -> bool:
    """A client that met `old_req` also meets `cand`: same or fewer schemes and scopes."""
    return all(s in old_req and set(scopes) <= set(old_req[s]) for s, scopes in cand.items())


def schemes_of(doc: dict[str, Any], deref: Deref) -> dict[str, tuple[dict[str, Any], str]]:
    """name -> (definition, pointer) of every scheme a document defines."""
    components = doc.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    out: dict[str, tuple[dict[str, Any], str]] = {}
    if not isinstance(schemes, dict):
        return out
    for name, raw in schemes.items():
        value, ptr = deref(raw, join(SCHEMES_POINTER, name))
        if isinstance(value, dict):
            out[str(name)] = (value, ptr)
    return out


def identity(scheme: dict[str, Any]) -> str:
    """What a client implements for a scheme, in one comparable text: documentation left out,
    names that HTTP compares without case (header names, auth schemes) lowered."""
    kept = {k: v for k, v in scheme.items() if k not in _DOCUMENTATION and not str(k).startswith("x-")}
    if kept.get("type") == "apiKey" and kept.get("in") == "header" and isinstance(kept.get("name"), str):
        kept["name"] = kept["name"].lower()
    if kept.get("type") == "http" and isinstance(kept.get("scheme"), str):
        kept["scheme"] = kept["scheme"].lower()
    return json.dumps(kept, sort_keys=True, default=str)


def renames(old: dict[str, tuple[dict[str, Any], str]], new: dict[str, tuple[dict[str, Any], str]]) -> dict[str, str]:
    """old name -> new name, for schemes defined under another name with the same definition."""
    gone = [name for name in old if name not in new]
    fresh: dict[str, str] = {}
    for name in new:
        if name not in old:
            fresh.setdefault(identity(new[name][0]), name)
    out = {}
    for name in gone:
        match = fresh.pop(identity(old[name][0]), None)
        if match is not None:
            out[name] = match
    return out


@dataclass
class SchemeUse:
    """Which operations require each scheme, in each document (filled while operations are compared)."""

    old: dict[str, dict[str, None]] = field(default_factory=dict)
    new: dict[str, dict[str, None]] = field(default_factory=dict)

    def note(self, side: dict[str, dict[str, None]], reqs: list[Requirement], operation: str) -> None:
        for req in reqs:
            for name in req:
                side.setdefault(name, {})[operation] = None


def diff_schemes(old: dict[str, tuple[dict[str, Any], str]], new: dict[str, tuple[dict[str, Any], str]], use: SchemeUse,
                 out: Collector) -> None:
    renamed = renames(old, new)
    for name, (o, optr) in old.items():
        users = list(use.old.get(name, ()))
        if name in renamed:
            continue
        if name not in new:
            still = list(use.new.get(name, ()))
            if still:
                _add(out, R.SECURITY_SCHEME_REMOVED_STILL_REQUIRED, optr, still, name)
            else:
                _add(out, R.SECURITY_SCHEME_REMOVED, optr, users, name)
            continue
        n, nptr = new[name]
        _diff_scheme(name, o, optr, n, nptr, users, out)
    for name, (_n, nptr) in new.items():
        if name not in old and name not in renamed.values():
            _add(out, R.SECURITY_SCHEME_ADDED, nptr, list(use.new.get(name, ())), name, new_pointer=nptr)


def _named(name: str, users: list[str]) -> str:
    """`'k' (required by GET /a and 2 more)`: the scheme and who needs it, for messages."""
    if not users:
        return f"'{name}'"
    more = f" and {len(users) - 1} more" if len(users) > 1 else ""
    return f"'{name}' (required by {users[0]}{more})"


def _add(out: Collector, rule: str, ptr: str, users: list[str], name: str, **extra: Any) -> None:
    if not users:
        out.add(rule, ptr, None, detail=_named(name, users), **extra)
    for op in users:
        out.add(rule, ptr, op, detail=_named(name, users), **extra)


def _diff_scheme(name: str, o: dict[str, Any], optr: str, n: dict[str, Any], nptr: str, users: list[str],
                 out: Collector) -> None:
    def report(rule: str, at: tuple[str, ...] | None, old: Any = None, new: Any = None, detail: str = "",
               new_at: tuple[str, ...] | None = None) -> None:
        """`at`: the changed place in the old scheme (None for an added thing, reported at `new_at`)."""
        text = _named(name, users) + (f" {detail}" if detail else "")
        new_ptr = join(nptr, *(new_at if new_at is not None else at or ()))
        ptr = join(optr, *at) if at is not None else new_ptr
        operations: list[str | None] = [*users] or [None]
        for op in operations:
            out.add(rule, ptr, op, old=old, new=new, detail=text, new_pointer=new_ptr)

    kind_o, kind_n = o.get("type"), n.get("type")
    if kind_o != kind_n:
        report(R.SECURITY_SCHEME_TYPE_CHANGED, ("type",), kind_o, kind_n)
        return  # nothing else compares across types
    if kind_o == "apiKey":
        if o.get("in") != n.get("in"):
            report(R.SECURITY_SCHEME_API_KEY_LOCATION_CHANGED, ("in",), o.get("in"), n.get("in"))
        on, nn = o.get("name"), n.get("name")
        if o.get("in") == n.get("in") == "header" and isinstance(on, str) and isinstance(nn, str):
            on, nn = on.lower(), nn.lower()  # header names are compared without case
        if on != nn:
            report(R.SECURITY_SCHEME_API_KEY_NAME_CHANGED, ("name",), o.get("name"), n.get("name"))
    elif kind_o == "http":
        os_, ns = o.get("scheme"), n.get("scheme")
        if str(os_).lower() != str(ns).lower():  # RFC 7235: auth-scheme names are case-insensitive
            report(R.SECURITY_SCHEME_HTTP_SCHEME_CHANGED, ("scheme",), os_, ns)
        if o.get("bearerFormat") != n.get("bearerFormat"):
            report(R.SECURITY_SCHEME_BEARER_FORMAT_CHANGED, ("bearerFormat",), o.get("bearerFormat"),
                   n.get("bearerFormat"))
    elif kind_o == "oauth2":
        _diff_flows(o.get("flows"), n.get("flows"), report)
    elif kind_o == "openIdConnect":
        if o.get("openIdConnectUrl") != n.get("openIdConnectUrl"):
            report(R.SECURITY_SCHEME_OPENID_CONNECT_URL_CHANGED, ("openIdConnectUrl",),
                   o.get("openIdConnectUrl"), n.get("openIdConnectUrl"))


def _diff_flows(of: object, nf: object, report: Callable[..., Any]) -> None:
    of = of if isinstance(of, dict) else {}
    nf = nf if isinstance(nf, dict) else {}
    for flow, o in of.items():
        if flow not in nf:
            report(R.SECURITY_SCHEME_OAUTH_FLOW_REMOVED, ("flows", flow), flow, None, f"flow {flow}", new_at=("flows",))
            continue
        n = nf[flow]
        o = o if isinstance(o, dict) else {}
        n = n if isinstance(n, dict) else {}
        for url in OAUTH_URLS:
            # A URL the client used that moved (or went) breaks it; one newly given does not.
            if url in o and o.get(url) != n.get(url):
                report(R.SECURITY_SCHEME_OAUTH_URL_CHANGED, ("flows", flow, url), o.get(url), n.get(url),
                       f"flow {flow} {url}")
        os_ = mapping_at(o, "scopes")
        ns = mapping_at(n, "scopes")
        for scope in os_:
            if scope not in ns:
                report(R.SECURITY_SCHEME_OAUTH_SCOPE_REMOVED, ("flows", flow, "scopes", scope), scope, None,
                       f"flow {flow}", new_at=("flows", flow, "scopes"))
        for scope in ns:
            if scope not in os_:
                report(R.SECURITY_SCHEME_OAUTH_SCOPE_ADDED, None, None, scope, f"flow {flow}",
                       new_at=("flows", flow, "scopes", scope))
    for flow in nf:
        if flow not in of:
            report(R.SECURITY_SCHEME_OAUTH_FLOW_ADDED, None, None, flow, f"flow {flow}", new_at=("flows", flow))
