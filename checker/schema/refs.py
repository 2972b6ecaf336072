"""`$ref` resolution with `referencing`, compared by content: a ref's target pointer becomes the
node's identity, so a component reached from many places is diffed (and reported) once.

No network and no absolute paths unless the user allows it; relative files beside the document
are followed. A file is known by its real path: `big.json`, `./big.json`, `%62ig.json`, `big.json?1`
and a symlink to it are one document, read and parsed once. Each file is read within `--max-size`,
and all the files one document refers to together within it too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from .. import pointers
from ..errors import InputError
from ..load.documents import count_values, decode, parse_cached, parse_data, read_source, too_many_values
from ..load.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:  # `referencing` exports no name for the resolver class its registries make
    import referencing
    from referencing._core import Resolver as RefResolver

ROOT = "urn:apicompat:root"
# First tokens of a pointer after which `referencing` may look for a `$id` on the way (a JSON Schema
# keyword that holds schemas, as its 2020-12 specification lists them): such pointers are left to it.
_SUBSCHEMA_KEYWORDS = frozenset({
    "additionalProperties", "contains", "contentSchema", "else", "if", "items", "not", "propertyNames", "then",
    "unevaluatedItems", "unevaluatedProperties", "allOf", "anyOf", "oneOf", "prefixItems", "$defs",
    "definitions", "dependentSchemas", "patternProperties", "properties"})
_NOT_FOUND = object()


class Resolver:
    def __init__(self, data: object, source: str, path: Path | None = None,
                 allow_remote: bool = False, limits: Limits | None = None) -> None:
        self.source = source
        self.base_dir = path.parent.resolve() if path else None
        self.allow_remote = allow_remote
        self.limits = limits or DEFAULT_LIMITS
        self._ref_bytes = 0  # read from $ref'd files so far (within limits.max_bytes together)
        self._ref_values = 0  # and their values (within limits.max_values together)
        self._retrieved: dict[str, referencing.Resource[Any]] = {}  # by canonical URI: each file read once
        self._cache: dict[tuple[str, str], tuple[object, str, str]] = {}
        self._root_uri = path.resolve().as_uri() if path else ROOT
        self._data = data
        self._registry: referencing.Registry[Any] | None = None  # made when a ref needs it (_resolver_for)
        self._resolvers: dict[str, RefResolver[Any]] = {}

    # -- public ---------------------------------------------------------------------------------
    def resolve(self, ref: str, base: str, at: str) -> tuple[object, str, str]:
        """Return (target, pointer, base) for `ref` seen at pointer `at` in document `base`."""
        if not isinstance(ref, str):  # before the cache: a list or mapping cannot be a key
            raise InputError(self.source, "$ref must be a string", at)
        key = (base, ref)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        self._check_allowed(ref, at)
        target = self._canonical(ref, base)
        contents = self._local(target, base)
        if contents is _NOT_FOUND:
            contents = self._lookup(target, base, ref, at)
        target_uri, fragment = urldefrag(self._absolute(target, base))
        new_base = target_uri or base
        pointer = self._display(new_base) + "#" + unquote(fragment or "")
        result = (contents, pointer, new_base)
        self._cache[key] = result
        return result

    def base_for_root(self) -> str:
        return self._root_uri

    # -- internals ------------------------------------------------------------------------------
    def _local(self, target: str, base: str) -> object:
        """A JSON pointer into the document itself, followed through its mappings and lists as
        `referencing` follows it (what an OpenAPI document's refs all are); `_NOT_FOUND` for anything
        else (another file, an anchor, a step that is not plainly there, a pointer through schema
        keywords where `referencing` may meet a `$id`), which `_lookup` then resolves."""
        if base != self._root_uri or not target.startswith("#/"):
            return _NOT_FOUND
        pointer = unquote(target)
        if pointers.tokens(pointer)[0] in _SUBSCHEMA_KEYWORDS:
            return _NOT_FOUND
        return pointers.resolve(self._data, pointer, _NOT_FOUND)

    def _through(self, exc: InputError, ref: str, at: str) -> InputError:
        """An error in a file a $ref reaches, said from the place of the $ref (both places on one line)."""
        if exc.source == self.source:
            return exc
        return InputError(self.source, f"$ref {ref!r}: {exc}", at)

    def _lookup(self, target: str, base: str, ref: str, at: str) -> object:
        """`target` resolved by `referencing`, its errors as the user's: one line naming the ref."""
        import referencing.exceptions  # start-up time: only refs to other files or anchors need it

        resolver = self._resolver_for(base)
        try:
            resolved = resolver.lookup(target)
        except InputError as exc:
            raise self._through(exc, ref, at) from None
        except referencing.exceptions.PointerToNowhere:
            raise InputError(self.source, f"dangling $ref {ref!r}: nothing at that pointer", at) from None
        except referencing.exceptions.Unresolvable as exc:
            cause = exc.__cause__ or exc.__context__
            for _ in range(8):  # Unresolvable <- Unretrievable <- the loader's InputError
                if cause is None or isinstance(cause, InputError):
                    break
                cause = cause.__cause__ or cause.__context__
            if isinstance(cause, InputError):
                raise self._through(cause, ref, at) from None
            raise InputError(self.source, f"cannot resolve $ref {ref!r}", at) from None
        except Exception as exc:  # malformed refs (bad escapes, odd URIs): one clear line
            raise InputError(self.source, f"cannot resolve $ref {ref!r}: {exc}", at) from None
        return resolved.contents

    def _resolver_for(self, base: str) -> RefResolver[Any]:
        r = self._resolvers.get(base)
        if r is None:
            r = self._registry_made().resolver(base_uri=base)
            self._resolvers[base] = r
        return r

    def _registry_made(self) -> referencing.Registry[Any]:
        import referencing  # start-up time: only refs to other files or anchors need it
        from referencing.jsonschema import DRAFT202012  # start-up time: only refs to other files or anchors need it

        if self._registry is None:
            # (referencing's stub spells dataclass_transform `__dataclass_transform__`, which only pyright reads)
            registry: referencing.Registry[Any] = referencing.Registry(
                retrieve=self._retrieve,  # type: ignore[call-arg]  # an attrs field: mypy cannot see it
            )
            self._registry = registry.with_resource(self._root_uri, DRAFT202012.create_resource(self._data))
        return self._registry

    def _canonical(self, ref: str, base: str) -> str:
        """A file $ref by the file's real path (no query, no %-escapes, no `./` or `..`, symlinks
        resolved), so that every spelling of one file is one resource; other refs unchanged."""
        if ref.startswith("#"):
            return ref
        uri, fragment = urldefrag(self._absolute(ref, base))
        parts = urlsplit(uri)
        if parts.scheme != "file":
            return ref
        real = Path(unquote(parts.path)).resolve()
        if self.base_dir is not None and not self.allow_remote and not real.is_relative_to(self.base_dir):
            raise InputError(self.source, f"$ref to {urldefrag(ref)[0]} leaves the document's folder (it is "
                             f"{real}); refused")
        return f"{real.as_uri()}#{fragment}" if fragment else real.as_uri()

    def _absolute(self, ref: str, base: str) -> str:
        if ref.startswith("#"):
            return base + ref
        return urljoin(base, ref)

    def _display(self, uri: str) -> str:
        if uri == self._root_uri:
            return ""
        if uri.startswith("file://") and self.base_dir is not None:
            try:
                return str(Path(unquote(urlsplit(uri).path)).relative_to(self.base_dir))
            except ValueError:
                return uri
        return uri

    def _check_allowed(self, ref: str, at: str) -> None:
        if ref.startswith("#"):
            return
        scheme = urlsplit(ref).scheme.lower()
        if scheme in ("http", "https"):
            if not self.allow_remote:
                raise InputError(self.source, f"remote $ref {ref!r} refused (no network access; "
                                 "pass --allow-remote-refs to fetch it)", at)
            return
        if scheme and scheme != "file":
            raise InputError(self.source, f"$ref {ref!r} uses unsupported scheme {scheme!r}", at)
        target = urldefrag(ref)[0]
        if scheme == "file" or target.startswith("/") or Path(target).is_absolute():
            if not self.allow_remote:
                raise InputError(self.source, f"$ref {ref!r} to an absolute path refused "
                                 "(pass --allow-remote-refs to follow it)", at)
        if self.base_dir is None:
            raise InputError(self.source, f"relative file $ref {ref!r} cannot be followed from a "
                             "document that is not a file", at)

    def _retrieve(self, uri: str) -> referencing.Resource[Any]:
        """The registry is immutable and does not keep what it retrieved: keep it here."""
        resource = self._retrieved.get(uri)
        if resource is None:
            resource = self._retrieved[uri] = self._read(uri)
        return resource

    def _read(self, uri: str) -> referencing.Resource[Any]:
        from referencing.jsonschema import DRAFT202012  # start-up time: only refs to other files need it

        scheme = urlsplit(uri).scheme.lower()
        if scheme in ("http", "https"):
            if not self.allow_remote:
                raise InputError(self.source, f"remote $ref {uri!r} refused (no network access)")
            raw = self._fetch(uri)
            data = parse_data(uri, decode(uri, raw), self.limits)
            self._count_values(uri, data)
            return DRAFT202012.create_resource(data)
        if scheme != "file":
            raise InputError(self.source, f"cannot retrieve {uri!r}")
        path = Path(unquote(urlsplit(uri).path))
        if self.base_dir is not None and not self.allow_remote:
            try:
                path.resolve().relative_to(self.base_dir)
            except ValueError:
                raise InputError(self.source, f"$ref to {path} leaves the document's folder; refused") from None
        raw, _ = read_source(str(path), self.limits)
        self._count(str(path), len(raw))
        data = parse_cached(str(path), raw, decode(str(path), raw), self.limits)
        self._count_values(str(path), data)
        return DRAFT202012.create_resource(data)

    def _count_values(self, where: str, data: object) -> None:
        self._ref_values += count_values(data)
        if self._ref_values > self.limits.max_values:
            raise InputError(where, f"the files {self.source} refers to {too_many_values(self.limits, 'hold')} "
                             "together")

    def _count(self, where: str, size: int) -> None:
        self._ref_bytes += size
        if self._ref_bytes > self.limits.max_bytes:
            raise InputError(where, f"the files {self.source} refers to add up to more than the "
                             f"{self.limits.max_bytes // (1024 * 1024)} MB limit (raise it with --max-size MB)")

    def _fetch(self, uri: str) -> bytes:
        """A remote $ref (only with --allow-remote-refs), read within the size limit."""
        import httpx  # start-up time: httpx loads only for an allowed remote $ref

        chunks: list[bytes] = []
        try:
            with httpx.stream("GET", uri, timeout=30, follow_redirects=False) as response:
                response.raise_for_status()
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    self._count(uri, len(chunk))
        except httpx.HTTPError as exc:
            raise InputError(self.source, f"cannot fetch $ref {uri!r}: {exc}") from None
        return b"".join(chunks)
