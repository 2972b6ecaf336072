"""Compare one operation's parts: parameters, request body, responses, headers, security.

Parts the client sends are judged request side, parts the server sends response side. A webhook or
a callback is a request the *server* sends: its parameters and body are judged response side (the
client receives them) and its responses request side (the client sends them back), under rule ids
of their own (`webhook-*`), since a removed body or a new media type means the opposite there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..collect import Collector, Site
from ..jsontypes import mapping_at
from ..pointers import join
from ..rules import openapi_rules as R
from ..schema import Node, Walker
from . import parameters as P
from . import security
from .index import Deref, Operation, index_paths
from .media import describe_parameters, media_key, pair_media

EVENT_STREAM = "text/event-stream"


def is_success(status: str) -> bool:
    return status.upper() in ("2XX",) or (len(status) == 3 and status.startswith("2") and status.isdigit())


@dataclass(frozen=True)
class HeaderRules:
    """Which rule each change of a response's headers is: the server's (a call's response) or the
    client's (a webhook's reply, request side: a header the receiver must now send is breaking)."""

    removed_required: str
    removed_optional: str
    became_optional: str
    became_required: str | None
    added_required: str
    added_optional: str
    ctx: str  # schema context of the header values


SERVER_HEADERS = HeaderRules(
    removed_required=R.REQUIRED_RESPONSE_HEADER_REMOVED, removed_optional=R.OPTIONAL_RESPONSE_HEADER_REMOVED,
    became_optional=R.RESPONSE_HEADER_BECAME_OPTIONAL, became_required=None,
    added_required=R.RESPONSE_HEADER_ADDED, added_optional=R.RESPONSE_HEADER_ADDED, ctx="response-header")
CLIENT_HEADERS = HeaderRules(
    removed_required=R.WEBHOOK_REPLY_HEADER_REMOVED, removed_optional=R.WEBHOOK_REPLY_HEADER_REMOVED,
    became_optional=R.WEBHOOK_REPLY_HEADER_BECAME_OPTIONAL, became_required=R.WEBHOOK_REPLY_HEADER_BECAME_REQUIRED,
    added_required=R.WEBHOOK_REPLY_HEADER_ADDED_REQUIRED, added_optional=R.WEBHOOK_REPLY_HEADER_ADDED_OPTIONAL,
    ctx="request-parameter")


@dataclass(frozen=True)
class Sides:
    """Which rule each change of an operation's parts is, for one direction of the exchange."""

    body: str  # schema context of the request body
    reply: str  # schema context of the responses
    params: str  # schema context of parameter values
    param_removed: str
    param_removed_required: str
    param_added_required: str
    param_added_optional: str
    param_became_required: str
    param_became_optional: str
    param_style_changed: str
    body_added_required: str
    body_added_optional: str
    body_removed: str
    body_became_required: str
    body_became_optional: str
    body_media_removed: str
    body_media_added: str
    reply_media_removed: str | None  # None: by success/non-success status (a client call)
    reply_media_added: str | None
    reply_status_removed: str | None
    reply_status_added: str | None
    body_media_reparam: str
    body_media_covered: str | None  # None: the server sends the body, a client sees its parameters exactly
    reply_media_reparam: str | None  # None: by success/non-success status (a client call)
    reply_media_covered: str | None
    reply_headers: HeaderRules
    client_sends_request: bool  # parameters are the client's: allowEmptyValue, moves, security apply


CALL = Sides(
    body="request", reply="response", params="request-parameter",
    param_removed=R.REQUEST_PARAMETER_REMOVED, param_removed_required=R.REQUEST_PARAMETER_REMOVED,
    param_added_required=R.NEW_REQUIRED_REQUEST_PARAMETER, param_added_optional=R.NEW_OPTIONAL_REQUEST_PARAMETER,
    param_became_required=R.REQUEST_PARAMETER_BECAME_REQUIRED,
    param_became_optional=R.REQUEST_PARAMETER_BECAME_OPTIONAL, param_style_changed=R.REQUEST_PARAMETER_STYLE_CHANGED,
    body_added_required=R.REQUEST_BODY_ADDED_REQUIRED, body_added_optional=R.REQUEST_BODY_ADDED_OPTIONAL,
    body_removed=R.REQUEST_BODY_REMOVED, body_became_required=R.REQUEST_BODY_BECAME_REQUIRED,
    body_became_optional=R.REQUEST_BODY_BECAME_OPTIONAL, body_media_removed=R.REQUEST_MEDIA_TYPE_REMOVED,
    body_media_added=R.REQUEST_MEDIA_TYPE_ADDED,
    reply_media_removed=None, reply_media_added=None, reply_status_removed=None, reply_status_added=None,
    body_media_reparam=R.REQUEST_MEDIA_TYPE_PARAMETER_CHANGED,
    body_media_covered=R.REQUEST_MEDIA_TYPE_PARAMETER_RELAXED,
    reply_media_reparam=None, reply_media_covered=None,
    reply_headers=SERVER_HEADERS, client_sends_request=True,
)
# A webhook or callback: the server sends the request (a value the client receives), the client the reply.
DELIVERY = Sides(
    body="response", reply="request", params="response-header",
    param_removed=R.WEBHOOK_PARAMETER_REMOVED, param_removed_required=R.WEBHOOK_PARAMETER_REMOVED,
    param_added_required=R.WEBHOOK_PARAMETER_ADDED, param_added_optional=R.WEBHOOK_PARAMETER_ADDED,
    param_became_required=R.WEBHOOK_PARAMETER_BECAME_REQUIRED,
    param_became_optional=R.WEBHOOK_PARAMETER_BECAME_OPTIONAL, param_style_changed=R.WEBHOOK_PARAMETER_STYLE_CHANGED,
    body_added_required=R.WEBHOOK_BODY_ADDED, body_added_optional=R.WEBHOOK_BODY_ADDED,
    body_removed=R.WEBHOOK_BODY_REMOVED, body_became_required=R.WEBHOOK_BODY_BECAME_REQUIRED,
    body_became_optional=R.WEBHOOK_BODY_BECAME_OPTIONAL, body_media_removed=R.WEBHOOK_MEDIA_TYPE_REMOVED,
    body_media_added=R.WEBHOOK_MEDIA_TYPE_ADDED,
    reply_media_removed=R.WEBHOOK_REPLY_MEDIA_TYPE_REMOVED, reply_media_added=R.WEBHOOK_REPLY_MEDIA_TYPE_ADDED,
    reply_status_removed=R.WEBHOOK_REPLY_STATUS_REMOVED, reply_status_added=R.WEBHOOK_REPLY_STATUS_ADDED,
    body_media_reparam=R.WEBHOOK_MEDIA_TYPE_PARAMETER_CHANGED, body_media_covered=None,
    reply_media_reparam=R.WEBHOOK_REPLY_MEDIA_TYPE_PARAMETER_CHANGED,
    reply_media_covered=R.WEBHOOK_REPLY_MEDIA_TYPE_PARAMETER_RELAXED,
    reply_headers=CLIENT_HEADERS, client_sends_request=False,
)


def sides_of(op: Operation) -> Sides:
    return DELIVERY if op.kind in ("webhook", "callback") else CALL


class OperationDiffer:
    def __init__(self, walker: Walker, out: Collector, deref_old: Deref, deref_new: Deref,
                 old_doc: dict[str, Any], new_doc: dict[str, Any]) -> None:
        self.walker = walker
        self.out = out
        self.deref_old = deref_old
        self.deref_new = deref_new
        self.old_doc = old_doc
        self.new_doc = new_doc
        self.old_schemes = security.schemes_of(old_doc, deref_old)
        self.new_schemes = security.schemes_of(new_doc, deref_new)
        self.renamed_schemes = security.renames(self.old_schemes, self.new_schemes)
        self.scheme_use = security.SchemeUse()

    # -- the operation ---------------------------------------------------------------------------
    def diff(self, o: Operation, n: Operation) -> None:
        name = o.name
        sides = sides_of(o)
        if bool(n.raw.get("deprecated")) != bool(o.raw.get("deprecated")):
            rule = R.ENDPOINT_DEPRECATED if n.raw.get("deprecated") else R.ENDPOINT_REACTIVATED
            self.out.add(rule, o.pointer, name, new_pointer=n.pointer, detail=o.where)
        old_id, new_id = o.raw.get("operationId"), n.raw.get("operationId")
        if old_id != new_id and old_id and new_id:
            self.out.add(R.OPERATION_ID_CHANGED, join(o.pointer, "operationId"), name, old=old_id, new=new_id)
        for field in ("summary", "description"):
            if o.raw.get(field) != n.raw.get(field):
                self.out.add(R.OPERATION_SUMMARY_CHANGED, join(o.pointer, field), name, detail=o.where + field)
        self._parameters(o, n, sides)
        if sides.client_sends_request:
            self._security(o, n, name)
        self._request_body(o, n, sides)
        self._responses(o, n, sides)
        self._callbacks(o, n)

    # -- parameters --------------------------------------------------------------------------------
    def _parameters(self, o: Operation, n: Operation, sides: Sides) -> None:
        op_name = o.name
        old = P.params_of(o, self.deref_old)
        new = P.params_of(n, self.deref_new)
        moved = dict(P.moves(old, new)) if sides.client_sends_request else {}
        for okey, nkey in moved.items():
            op_, np_ = old[okey], new[nkey]
            self.out.add(R.REQUEST_PARAMETER_LOCATION_CHANGED, op_.pointer, op_name, old=op_.where, new=np_.where,
                         detail=o.where + op_.label, new_pointer=np_.pointer)
        for key, op_ in old.items():
            label = o.where + op_.label
            if key not in new:
                if key[0] != "path" and key not in moved:  # a path parameter goes with its template
                    rule = sides.param_removed_required if op_.required else sides.param_removed
                    self.out.add(rule, op_.pointer, op_name, detail=label)
                continue
            np_ = new[key]
            if np_.required and not op_.required:
                self.out.add(sides.param_became_required, op_.pointer, op_name, detail=label, new_pointer=np_.pointer)
            elif op_.required and not np_.required:
                self.out.add(sides.param_became_optional, op_.pointer, op_name, detail=label, new_pointer=np_.pointer)
            if np_.raw.get("deprecated") and not op_.raw.get("deprecated"):
                self.out.add(R.REQUEST_PARAMETER_BECAME_DEPRECATED, op_.pointer, op_name, detail=label,
                             new_pointer=np_.pointer)
            if sides.client_sends_request and key[0] == "query":
                self._query_flags(op_, np_, op_name, label)
            self._parameter_value(op_, np_, o, sides)
        for key, np_ in new.items():
            if key in old or key in moved.values():
                continue
            rule = sides.param_added_required if np_.required else sides.param_added_optional
            self.out.add(rule, np_.pointer, op_name, detail=n.where + np_.label, new_pointer=np_.pointer)

    def _query_flags(self, op_: P.Param, np_: P.Param, op_name: str, label: str) -> None:
        """`allowEmptyValue` (`?x=` accepted) and `allowReserved` (`?x=a/b` unencoded): a request the
        old server took that the new one refuses is breaking; the reverse widens what is accepted."""
        for key, removed, added in (("allowEmptyValue", R.REQUEST_PARAMETER_ALLOW_EMPTY_VALUE_REMOVED,
                                     R.REQUEST_PARAMETER_ALLOW_EMPTY_VALUE_ADDED),
                                    ("allowReserved", R.REQUEST_PARAMETER_ALLOW_RESERVED_REMOVED,
                                     R.REQUEST_PARAMETER_ALLOW_RESERVED_ADDED)):
            was, now = P.flag(op_.raw.get(key)), P.flag(np_.raw.get(key))
            if was and not now:
                self.out.add(removed, join(op_.pointer, key), op_name, detail=label, new_pointer=np_.pointer)
            elif now and not was:
                self.out.add(added, op_.pointer, op_name, detail=label, new_pointer=join(np_.pointer, key))

    def _parameter_value(self, op_: P.Param, np_: P.Param, o: Operation, sides: Sides) -> None:
        """How the value travels (style, explode, content), then what it may be (the schema)."""
        op_name, label = o.name, o.where + op_.label
        o_schema, n_schema = P.schema_of(op_.raw), P.schema_of(np_.raw)
        shapes, types = P.shapes_of(o_schema[0] if o_schema else None, self.deref_old)
        o_wire, n_wire = P.wire_form(op_.raw, shapes, types), P.wire_form(np_.raw, shapes, types)
        if o_wire != n_wire:
            o_media = isinstance(op_.raw.get("content"), dict)
            n_media = isinstance(np_.raw.get("content"), dict)
            rule = R.REQUEST_PARAMETER_MEDIA_TYPE_CHANGED if (o_media or n_media) and sides.client_sends_request \
                else sides.param_style_changed
            self.out.add(rule, op_.pointer, op_name, detail=label, old=P.describe_style(op_.raw),
                         new=P.describe_style(np_.raw), new_pointer=np_.pointer)
        if o_schema is None and n_schema is None:
            return
        o_raw, o_at = o_schema if o_schema else (True, ("schema",))
        n_raw, n_at = n_schema if n_schema else (True, ("schema",))
        optr, nptr = join(op_.pointer, *o_at), join(np_.pointer, *n_at)
        opaque = op_.opaque or np_.opaque or P.flag(op_.raw.get("x-opaque")) or P.flag(np_.raw.get("x-opaque"))
        found = self.walker.diff_nodes(Node(o_raw, optr), Node(n_raw, nptr), sides.params, opaque)
        if found and sides.client_sends_request and "content" not in op_.raw and "content" not in np_.raw:
            found = P.read_as_text(found, optr)
        if found:
            media = f" ({o_at[1]})" if o_at[0] == "content" else ""
            self.out.add_findings(found, sides.params, op_name, Site(op_name, label + media, optr, nptr))

    # -- request bodies ----------------------------------------------------------------------------
    def _request_body(self, o: Operation, n: Operation, sides: Sides) -> None:
        op_name = o.name
        ob, optr = self.deref_old(o.raw.get("requestBody"), join(o.pointer, "requestBody"))
        nb, nptr = self.deref_new(n.raw.get("requestBody"), join(n.pointer, "requestBody"))
        ob = ob if isinstance(ob, dict) else None
        nb = nb if isinstance(nb, dict) else None
        if nb is None:
            if ob is not None:
                self.out.add(sides.body_removed, optr, op_name, detail=o.where)
            return
        if ob is None:
            rule = sides.body_added_required if P.flag(nb.get("required")) else sides.body_added_optional
            self.out.add(rule, nptr, op_name, new_pointer=nptr, detail=o.where)
            return
        o_req, n_req = P.flag(ob.get("required")), P.flag(nb.get("required"))
        if n_req and not o_req:
            self.out.add(sides.body_became_required, optr, op_name, new_pointer=nptr, detail=o.where)
        elif o_req and not n_req:
            self.out.add(sides.body_became_optional, optr, op_name, new_pointer=nptr, detail=o.where)
        self._content(ob.get("content"), join(optr, "content"), nb.get("content"), join(nptr, "content"),
                      op_name, sides.body, o.where + "request body", removed_rule=sides.body_media_removed,
                      added_rule=sides.body_media_added, reparam_rule=sides.body_media_reparam,
                      covered_rule=sides.body_media_covered)

    def _content(self, oc: Any, optr: str, nc: Any, nptr: str, op_name: str, ctx: str, part: str, *,
                 removed_rule: str | None, added_rule: str | None, reparam_rule: str | None,
                 covered_rule: str | None = None, stream_rules: bool = False) -> None:
        """The media types of a body; `part` names it ("request body", "callback x POST {$url} 200 response").
        A type kept with other parameters (`charset=utf-8` -> `charset=iso-8859-1`) is `reparam_rule`,
        its schemas compared as for one media type (apicompat.openapi.media). `covered_rule` is given
        where the client sends the body: an old type a new key with fewer parameters still reads."""
        # keyed by the names as text (a YAML key may be read as a number)
        oc = {str(m): v for m, v in oc.items()} if isinstance(oc, dict) else {}
        nc = {str(m): v for m, v in nc.items()} if isinstance(nc, dict) else {}
        pairing = pair_media(list(oc), list(nc), covering=covered_rule is not None)
        for media in pairing.removed:
            mptr = join(optr, media)
            if stream_rules and media_key(media) == EVENT_STREAM:
                self.out.add(R.RESPONSE_EVENT_STREAM_REMOVED, mptr, op_name, detail=f"{media} ({part})")
            elif removed_rule:
                self.out.add(removed_rule, mptr, op_name, detail=f"{media} ({part})")
        for rule, pairs in ((reparam_rule, pairing.reparametrised), (covered_rule, pairing.covered)):
            if rule is None:
                continue
            for media, new_media in pairs:
                self.out.add(rule, join(optr, media), op_name, detail=f"{part} ({media_key(media)})",
                             old=describe_parameters(media), new=describe_parameters(new_media),
                             new_pointer=join(nptr, new_media))
        for media, new_media in pairing.same + pairing.covered + pairing.reparametrised:
            om, nm = oc[media], nc[new_media]
            if not isinstance(om, dict) or not isinstance(nm, dict):
                continue
            mptr, nmptr = join(optr, media), join(nptr, new_media)
            for field in ("schema", "itemSchema"):
                if field in om or field in nm:
                    what = f"{part} ({media})" if field == "schema" else f"{part} ({media} items)"
                    self._schema(om.get(field, True), join(mptr, field), nm.get(field, True),
                                 join(nmptr, field), ctx, op_name, what)
        for media in pairing.added:
            if stream_rules and media_key(media) == EVENT_STREAM:
                self.out.add(R.RESPONSE_EVENT_STREAM_ADDED, join(nptr, media), op_name, detail=f"{media} ({part})",
                             new_pointer=join(nptr, media))
            elif added_rule:
                self.out.add(added_rule, join(nptr, media), op_name, detail=f"{media} ({part})",
                             new_pointer=join(nptr, media))

    # -- responses ---------------------------------------------------------------------------------
    def _responses(self, o: Operation, n: Operation, sides: Sides) -> None:
        op_name = o.name
        delivery = sides.reply_status_removed is not None
        ors = mapping_at(o.raw, "responses")
        nrs = mapping_at(n.raw, "responses")
        optr, nptr = join(o.pointer, "responses"), join(n.pointer, "responses")
        omap = {str(k).upper(): k for k in ors}
        nmap = {str(k).upper(): k for k in nrs}
        paired = pair_statuses(list(omap), list(nmap), narrowing_ok=not delivery)
        for key, status in omap.items():
            sptr = join(optr, status)
            new_key = paired.get(key)
            if new_key is None:
                if sides.reply_status_removed is not None:  # a delivery: the server's own rule
                    rule = sides.reply_status_removed
                else:
                    rule = (R.RESPONSE_SUCCESS_STATUS_REMOVED if is_success(key)
                            else R.RESPONSE_NON_SUCCESS_STATUS_REMOVED)
                self.out.add(rule, sptr, op_name, detail=o.where + str(status))
                continue
            new_status = nmap[new_key]
            orr, orp = self.deref_old(ors[status], sptr)
            nrr, nrp = self.deref_new(nrs[new_status], join(nptr, new_status))
            if not isinstance(orr, dict) or not isinstance(nrr, dict):
                continue
            part = f"{o.where}{status} response"
            if delivery:
                self._content(orr.get("content"), join(orp, "content"), nrr.get("content"), join(nrp, "content"),
                              op_name, sides.reply, part, removed_rule=sides.reply_media_removed,
                              added_rule=sides.reply_media_added, reparam_rule=sides.reply_media_reparam,
                              covered_rule=sides.reply_media_covered)
            else:
                success = is_success(key)
                self._content(orr.get("content"), join(orp, "content"), nrr.get("content"), join(nrp, "content"),
                              op_name, sides.reply, part,
                              removed_rule=R.RESPONSE_MEDIA_TYPE_REMOVED if success else None,
                              added_rule=R.RESPONSE_MEDIA_TYPE_ADDED if success else None,
                              reparam_rule=R.RESPONSE_MEDIA_TYPE_PARAMETER_CHANGED if success else None,
                              stream_rules=success)
            self._headers(orr.get("headers"), join(orp, "headers"), nrr.get("headers"),
                          join(nrp, "headers"), op_name, part, sides.reply_headers)
        covered = set(paired.values())
        for key, status in nmap.items():
            if key in omap or key in covered or (key.isdigit() and f"{key[0]}XX" in omap):
                continue
            if sides.reply_status_added is not None:
                rule = sides.reply_status_added
            else:
                rule = R.RESPONSE_SUCCESS_STATUS_ADDED if is_success(key) else R.RESPONSE_NON_SUCCESS_STATUS_ADDED
            self.out.add(rule, join(nptr, status), op_name, detail=o.where + str(status),
                         new_pointer=join(nptr, status))

    def _headers(self, oh: Any, optr: str, nh: Any, nptr: str, op_name: str, part: str, rules: HeaderRules) -> None:
        oh = oh if isinstance(oh, dict) else {}
        nh = nh if isinstance(nh, dict) else {}
        nmap = {str(k).lower(): k for k in nh}
        for name, header in oh.items():
            hptr = join(optr, name)
            h, hptr = self.deref_old(header, hptr)
            h = h if isinstance(h, dict) else {}
            label = f"'{name}' in the {part}"
            new_name = nmap.get(str(name).lower())
            if new_name is None:
                rule = rules.removed_required if P.flag(h.get("required")) else rules.removed_optional
                self.out.add(rule, hptr, op_name, detail=label)
                continue
            nhd, nhptr = self.deref_new(nh[new_name], join(nptr, new_name))
            nhd = nhd if isinstance(nhd, dict) else {}
            was, now = P.flag(h.get("required")), P.flag(nhd.get("required"))
            if was and not now:
                self.out.add(rules.became_optional, hptr, op_name, detail=label, new_pointer=nhptr)
            elif now and not was and rules.became_required:
                self.out.add(rules.became_required, hptr, op_name, detail=label, new_pointer=nhptr)
            o_schema, n_schema = P.schema_of(h), P.schema_of(nhd)  # `schema`, or the one media type of `content`
            if o_schema is not None or n_schema is not None:
                o_raw, o_at = o_schema or (True, ("schema",))
                n_raw, n_at = n_schema or (True, ("schema",))
                self._schema(o_raw, join(hptr, *o_at), n_raw, join(nhptr, *n_at), rules.ctx, op_name,
                             f"{part} header '{name}'")
        omap = {str(k).lower() for k in oh}
        for key, name in nmap.items():
            if key not in omap:
                nhd, nhptr = self.deref_new(nh[name], join(nptr, name))
                required = isinstance(nhd, dict) and P.flag(nhd.get("required"))
                rule = rules.added_required if required else rules.added_optional
                self.out.add(rule, join(nptr, name), op_name, detail=f"'{name}' in the {part}",
                             new_pointer=join(nptr, name))

    # -- security ------------------------------------------------------------------------------------
    def _security(self, o: Operation, n: Operation, op_name: str) -> None:
        old = security.requirements(o.raw.get("security", self.old_doc.get("security")))
        new = security.requirements(n.raw.get("security", self.new_doc.get("security")))
        self.scheme_use.note(self.scheme_use.old, old, op_name)
        self.scheme_use.note(self.scheme_use.new, new, op_name)
        # A scheme renamed with the same definition is the same credential.
        old = [{self.renamed_schemes.get(k, k): v for k, v in req.items()} for req in old]
        if old == new:
            return
        optr = join(o.pointer, "security")
        if new and not any(not cand for cand in new):  # the new contract demands credentials
            for req in old or [{}]:
                if any(security.satisfies(req, cand) for cand in new):
                    continue
                best = min(new, key=lambda cand: len(set(cand) - set(req)))
                added = [s for s in best if s not in req]
                if added:
                    self.out.add(R.SECURITY_REQUIREMENT_ADDED, optr, op_name, detail=", ".join(added))
                for scheme in best:
                    extra = [s for s in best[scheme] if scheme in req and s not in req[scheme]]
                    if extra:
                        self.out.add(R.SECURITY_SCOPE_ADDED, join(optr, scheme), op_name, detail=scheme, new=extra)
        for req in old:
            easier = [c for c in (new or [{}]) if security.satisfies(req, c) and c != req]
            if not easier or req in new:
                continue
            cand = max(easier, key=len)
            dropped = [s for s in req if s not in cand]
            if dropped:
                self.out.add(R.SECURITY_REQUIREMENT_REMOVED, optr, op_name, detail=", ".join(dropped))
            for scheme, scopes in req.items():
                lost = [s for s in scopes if scheme in cand and s not in cand[scheme]]
                if lost:
                    self.out.add(R.SECURITY_SCOPE_REMOVED, join(optr, scheme), op_name, detail=scheme, old=lost)

    def finish(self) -> None:
        """What is compared once all operations have been: the security schemes they require."""
        security.diff_schemes(self.old_schemes, self.new_schemes, self.scheme_use, self.out)

    # -- callbacks -----------------------------------------------------------------------------------
    def _callbacks(self, o: Operation, n: Operation) -> None:
        """A callback is a request the server makes because the client called `o`: its changes are
        listed under `o` (the operation a client's usage names), the callback said in the message."""
        oc = mapping_at(o.raw, "callbacks")
        nc = mapping_at(n.raw, "callbacks")
        for name in list(oc) + [k for k in nc if k not in oc]:
            o_cb, optr = self.deref_old(oc.get(name), join(o.pointer, "callbacks", name))
            n_cb, nptr = self.deref_new(nc.get(name), join(n.pointer, "callbacks", name))
            where = f"{o.where}callback {name} "
            old_ops = index_paths(o_cb, optr, "callback", self.deref_old, owner=o.name, where=where)
            new_ops = index_paths(n_cb, nptr, "callback", self.deref_new, owner=o.name, where=where)
            for key, cop in old_ops.items():
                if key in new_ops:
                    self.diff(cop, new_ops[key])
                else:
                    self.out.add(R.CALLBACK_REMOVED, cop.pointer, o.name, detail=cop.where.strip())
            for key, cop in new_ops.items():
                if key not in old_ops:
                    self.out.add(R.CALLBACK_ADDED, cop.pointer, o.name, detail=cop.where.strip(),
                                 new_pointer=cop.pointer)

    # -- schemas -------------------------------------------------------------------------------------
    def _schema(self, o_raw: Any, optr: str, n_raw: Any, nptr: str, ctx: str, op_name: str, part: str) -> None:
        found = self.walker.diff_nodes(Node(o_raw, optr), Node(n_raw, nptr), ctx)
        if found:
            self.out.add_findings(found, ctx, op_name, Site(op_name, part, optr, nptr))


def pair_statuses(old: list[str], new: list[str], narrowing_ok: bool) -> dict[str, str]:
    """old status key -> the new key that now stands for it (upper-cased keys).

    A code is kept by itself or by its range (`200` by `2XX`). Where the server sends the response,
    a range that became single codes (`2XX` -> `200`) promises less and is kept by the first of them;
    where the client sends it (a webhook's reply), that is a narrowing and the range is gone.
    """
    out = {}
    for key in old:
        if key in new:
            out[key] = key
        elif len(key) == 3 and key.isdigit() and f"{key[0]}XX" in new:
            out[key] = f"{key[0]}XX"
        elif narrowing_ok and len(key) == 3 and key.endswith("XX"):
            inside = [k for k in new if len(k) == 3 and k.isdigit() and k[0] == key[0] and k not in old]
            if inside:
                out[key] = sorted(inside)[0]
    return out
