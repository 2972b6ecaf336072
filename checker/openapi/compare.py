"""Compare one operation's parts: parameters, request body, responses, headers, security.

Parts sent by the client are judged request-side; parts sent by the server response-side. For
webhooks and callbacks the server sends the request, so the sides swap.
"""

from __future__ import annotations

from typing import Callable

from ..collect import Collector
from ..rules import openapi_rules as R
from ..pointers import join
from ..schema import Node, Walker
from . import security
from .index import Operation

EVENT_STREAM = "text/event-stream"
DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


def media_key(media: str) -> str:
    return media.split(";", 1)[0].strip().lower()


def is_success(status: str) -> bool:
    return status.upper() in ("2XX",) or (len(status) == 3 and status.startswith("2") and status.isdigit())


class OperationDiffer:
    def __init__(self, walker: Walker, out: Collector, deref_old: Callable, deref_new: Callable,
                 old_doc: dict, new_doc: dict) -> None:
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
        swap = o.kind in ("webhook", "callback")
        req_ctx, resp_ctx = ("response", "request") if swap else ("request", "response")
        if bool(n.raw.get("deprecated")) != bool(o.raw.get("deprecated")):
            rule = R.ENDPOINT_DEPRECATED if n.raw.get("deprecated") else R.ENDPOINT_REACTIVATED
            self.out.add(rule, o.pointer, name, new_pointer=n.pointer)
        if o.raw.get("operationId") != n.raw.get("operationId") and o.raw.get("operationId") and n.raw.get("operationId"):
            self.out.add(R.OPERATION_ID_CHANGED, join(o.pointer, "operationId"), name,
                         old=o.raw.get("operationId"), new=n.raw.get("operationId"))
        for field in ("summary", "description"):
            if o.raw.get(field) != n.raw.get(field):
                self.out.add(R.OPERATION_SUMMARY_CHANGED, join(o.pointer, field), name, detail=field)
        if not swap:
            self._parameters(o, n, name)
            self._security(o, n, name)
        self._request_body(o, n, name, req_ctx)
        self._responses(o, n, name, resp_ctx, swap)
        self._callbacks(o, n, name)

    # -- parameters --------------------------------------------------------------------------------
    def _params(self, op: Operation, deref) -> dict[tuple[str, str], tuple[dict, str]]:
        found: dict[tuple[str, str], tuple[dict, str]] = {}
        rename = {name: f"#{i}" for i, name in enumerate(op.path_params)}
        for source, base in ((op.path_item, op.path_pointer), (op.raw, op.pointer)):
            params = source.get("parameters")
            if not isinstance(params, list):
                continue
            for i, p in enumerate(params):
                p, ptr = deref(p, join(base, "parameters", i))
                if not isinstance(p, dict) or not isinstance(p.get("name"), str):
                    continue
                where = p.get("in")
                name = p["name"]
                if where == "header":
                    name = name.lower()
                elif where == "path":
                    name = rename.get(name, name)  # matched by position in the template
                found[(str(where), name)] = (p, ptr)
        return found

    def _parameters(self, o: Operation, n: Operation, op_name: str) -> None:
        old = self._params(o, self.deref_old)
        new = self._params(n, self.deref_new)
        for key, (op, optr) in old.items():
            label = _param_label(op)
            if key not in new:
                if key[0] != "path":
                    self.out.add(R.REQUEST_PARAMETER_REMOVED, optr, op_name, detail=label)
                continue
            np_, nptr = new[key]
            o_req = bool(op.get("required")) or key[0] == "path"
            n_req = bool(np_.get("required")) or key[0] == "path"
            if n_req and not o_req:
                self.out.add(R.REQUEST_PARAMETER_BECAME_REQUIRED, optr, op_name, detail=label, new_pointer=nptr)
            elif o_req and not n_req:
                self.out.add(R.REQUEST_PARAMETER_BECAME_OPTIONAL, optr, op_name, detail=label, new_pointer=nptr)
            o_style, n_style = _serialisation(op), _serialisation(np_)
            if o_style != n_style:
                self.out.add(R.REQUEST_PARAMETER_STYLE_CHANGED, optr, op_name, detail=label,
                             old=o_style, new=n_style, new_pointer=nptr)
            if np_.get("deprecated") and not op.get("deprecated"):
                self.out.add(R.REQUEST_PARAMETER_BECAME_DEPRECATED, optr, op_name, detail=label, new_pointer=nptr)
            self._param_schema(op, optr, np_, nptr, op_name, label)
        for key, (np_, nptr) in new.items():
            if key in old:
                continue
            label = _param_label(np_)
            required = bool(np_.get("required")) or key[0] == "path"
            rule = R.NEW_REQUIRED_REQUEST_PARAMETER if required else R.NEW_OPTIONAL_REQUEST_PARAMETER
            self.out.add(rule, nptr, op_name, detail=label, new_pointer=nptr)

    def _param_schema(self, op: dict, optr: str, np_: dict, nptr: str, op_name: str, label: str) -> None:
        if "schema" in op or "schema" in np_:
            if "schema" in op and "schema" in np_:
                self._schema(op["schema"], join(optr, "schema"), np_["schema"], join(nptr, "schema"),
                             "request-parameter", op_name)
            elif "content" not in op and "content" not in np_:
                o_s = op.get("schema", True)
                n_s = np_.get("schema", True)
                self._schema(o_s, join(optr, "schema"), n_s, join(nptr, "schema"), "request-parameter", op_name)
            else:
                self.out.add(R.REQUEST_PARAMETER_MEDIA_TYPE_CHANGED, optr, op_name, detail=label,
                             old=_media_of(op), new=_media_of(np_), new_pointer=nptr)
            return
        oc, nc = op.get("content"), np_.get("content")
        if isinstance(oc, dict) and isinstance(nc, dict):
            if set(map(media_key, oc)) != set(map(media_key, nc)):
                self.out.add(R.REQUEST_PARAMETER_MEDIA_TYPE_CHANGED, optr, op_name, detail=label,
                             old=sorted(oc), new=sorted(nc), new_pointer=nptr)
                return
            nmap = {media_key(m): m for m in nc}
            for m, mt in oc.items():
                other = nc[nmap[media_key(m)]]
                if isinstance(mt, dict) and isinstance(other, dict) and "schema" in mt and "schema" in other:
                    self._schema(mt["schema"], join(optr, "content", m, "schema"), other["schema"],
                                 join(nptr, "content", nmap[media_key(m)], "schema"), "request-parameter", op_name)

    # -- request bodies ----------------------------------------------------------------------------
    def _request_body(self, o: Operation, n: Operation, op_name: str, ctx: str) -> None:
        ob, optr = self.deref_old(o.raw.get("requestBody"), join(o.pointer, "requestBody"))
        nb, nptr = self.deref_new(n.raw.get("requestBody"), join(n.pointer, "requestBody"))
        ob = ob if isinstance(ob, dict) else None
        nb = nb if isinstance(nb, dict) else None
        if ob is None and nb is None:
            return
        if ob is None:
            rule = R.REQUEST_BODY_ADDED_REQUIRED if nb.get("required") else R.REQUEST_BODY_ADDED_OPTIONAL
            self.out.add(rule, nptr, op_name, new_pointer=nptr)
            return
        if nb is None:
            self.out.add(R.REQUEST_BODY_REMOVED, optr, op_name)
            return
        if nb.get("required") and not ob.get("required"):
            self.out.add(R.REQUEST_BODY_BECAME_REQUIRED, optr, op_name, new_pointer=nptr)
        elif ob.get("required") and not nb.get("required"):
            self.out.add(R.REQUEST_BODY_BECAME_OPTIONAL, optr, op_name, new_pointer=nptr)
        self._content(ob.get("content"), join(optr, "content"), nb.get("content"), join(nptr, "content"),
                      op_name, ctx, removed_rule=R.REQUEST_MEDIA_TYPE_REMOVED, added_rule=R.REQUEST_MEDIA_TYPE_ADDED)

    def _content(self, oc, optr: str, nc, nptr: str, op_name: str, ctx: str, *, removed_rule: str | None,
                 added_rule: str | None, stream_rules: bool = False) -> None:
        oc = oc if isinstance(oc, dict) else {}
        nc = nc if isinstance(nc, dict) else {}
        nmap = {media_key(m): m for m in nc}
        omap = {media_key(m): m for m in oc}
        for key, media in omap.items():
            mptr = join(optr, media)
            if key not in nmap:
                if stream_rules and key == EVENT_STREAM:
                    self.out.add(R.RESPONSE_EVENT_STREAM_REMOVED, mptr, op_name, detail=media)
                elif removed_rule:
                    self.out.add(removed_rule, mptr, op_name, detail=media)
                continue
            new_media = nmap[key]
            om, nm = oc[media], nc[new_media]
            if not isinstance(om, dict) or not isinstance(nm, dict):
                continue
            nmptr = join(nptr, new_media)
            for field in ("schema", "itemSchema"):
                if field in om or field in nm:
                    self._schema(om.get(field, True), join(mptr, field), nm.get(field, True),
                                 join(nmptr, field), ctx, op_name)
        for key, media in nmap.items():
            if key in omap:
                continue
            if stream_rules and key == EVENT_STREAM:
                self.out.add(R.RESPONSE_EVENT_STREAM_ADDED, join(nptr, media), op_name, detail=media,
                             new_pointer=join(nptr, media))
            elif added_rule:
                self.out.add(added_rule, join(nptr, media), op_name, detail=media, new_pointer=join(nptr, media))

    # -- responses ---------------------------------------------------------------------------------
    def _responses(self, o: Operation, n: Operation, op_name: str, ctx: str, swap: bool) -> None:
        ors = o.raw.get("responses") if isinstance(o.raw.get("responses"), dict) else {}
        nrs = n.raw.get("responses") if isinstance(n.raw.get("responses"), dict) else {}
        optr, nptr = join(o.pointer, "responses"), join(n.pointer, "responses")
        nmap = {str(k).upper(): k for k in nrs}
        omap = {str(k).upper(): k for k in ors}
        for key, status in omap.items():
            sptr = join(optr, status)
            if key not in nmap:
                if swap:
                    continue
                rule = R.RESPONSE_SUCCESS_STATUS_REMOVED if is_success(key) else R.RESPONSE_NON_SUCCESS_STATUS_REMOVED
                self.out.add(rule, sptr, op_name, detail=str(status))
                continue
            new_status = nmap[key]
            orr, orp = self.deref_old(ors[status], sptr)
            nrr, nrp = self.deref_new(nrs[new_status], join(nptr, new_status))
            if not isinstance(orr, dict) or not isinstance(nrr, dict):
                continue
            success = is_success(key) and not swap
            self._content(orr.get("content"), join(orp, "content"), nrr.get("content"), join(nrp, "content"),
                          op_name, ctx, removed_rule=R.RESPONSE_MEDIA_TYPE_REMOVED if success else None,
                          added_rule=R.RESPONSE_MEDIA_TYPE_ADDED if success else None, stream_rules=success)
            if not swap:
                self._headers(orr.get("headers"), join(orp, "headers"), nrr.get("headers"),
                              join(nrp, "headers"), op_name)
        for key, status in nmap.items():
            if key in omap or swap:
                continue
            rule = R.RESPONSE_SUCCESS_STATUS_ADDED if is_success(key) else R.RESPONSE_NON_SUCCESS_STATUS_ADDED
            self.out.add(rule, join(nptr, status), op_name, detail=str(status), new_pointer=join(nptr, status))

    def _headers(self, oh, optr: str, nh, nptr: str, op_name: str) -> None:
        oh = oh if isinstance(oh, dict) else {}
        nh = nh if isinstance(nh, dict) else {}
        nmap = {str(k).lower(): k for k in nh}
        for name, header in oh.items():
            hptr = join(optr, name)
            h, hptr = self.deref_old(header, hptr)
            h = h if isinstance(h, dict) else {}
            new_name = nmap.get(str(name).lower())
            if new_name is None:
                rule = R.REQUIRED_RESPONSE_HEADER_REMOVED if h.get("required") else R.OPTIONAL_RESPONSE_HEADER_REMOVED
                self.out.add(rule, hptr, op_name, detail=str(name))
                continue
            nhd, nhptr = self.deref_new(nh[new_name], join(nptr, new_name))
            nhd = nhd if isinstance(nhd, dict) else {}
            if h.get("required") and not nhd.get("required"):
                self.out.add(R.RESPONSE_HEADER_BECAME_OPTIONAL, hptr, op_name, detail=str(name), new_pointer=nhptr)
            if "schema" in h or "schema" in nhd:
                self._schema(h.get("schema", True), join(hptr, "schema"), nhd.get("schema", True),
                             join(nhptr, "schema"), "response-header", op_name)
        omap = {str(k).lower() for k in oh}
        for key, name in nmap.items():
            if key not in omap:
                self.out.add(R.RESPONSE_HEADER_ADDED, join(nptr, name), op_name, detail=str(name),
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
    def _callbacks(self, o: Operation, n: Operation, op_name: str) -> None:
        from .index import index_paths

        oc, nc = o.raw.get("callbacks"), n.raw.get("callbacks")
        if not isinstance(oc, dict) or not isinstance(nc, dict):
            return
        for name, o_cb in oc.items():
            if name not in nc:
                continue
            o_cb, optr = self.deref_old(o_cb, join(o.pointer, "callbacks", name))
            n_cb, nptr = self.deref_new(nc[name], join(n.pointer, "callbacks", name))
            old_ops = index_paths(o_cb, optr, "callback", self.deref_old)
            new_ops = index_paths(n_cb, nptr, "callback", self.deref_new)
            for key, cop in old_ops.items():
                if key in new_ops:
                    self.diff(cop, new_ops[key])

    # -- schemas -------------------------------------------------------------------------------------
    def _schema(self, o_raw, optr: str, n_raw, nptr: str, ctx: str, op_name: str) -> None:
        found = self.walker.diff_nodes(Node(o_raw, optr), Node(n_raw, nptr), ctx)
        if found:
            self.out.add_findings(found, ctx, op_name)


def _param_label(p: dict) -> str:
    return f"{p.get('in', '?')} parameter '{p.get('name')}'"


def _serialisation(p: dict) -> str:
    where = str(p.get("in"))
    style = p.get("style", DEFAULT_STYLE.get(where, "form"))
    explode = p.get("explode", style == "form")
    reserved = bool(p.get("allowReserved", False))
    return f"style={style}, explode={str(bool(explode)).lower()}" + (", allowReserved" if reserved else "")


def _media_of(p: dict) -> object:
    content = p.get("content")
    return sorted(content) if isinstance(content, dict) else "schema"
