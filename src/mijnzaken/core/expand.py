"""The `expand` mechanism of the ZGW APIs: related resources inline, under `_expand`.

`GET /zaken?expand=zaaktype,status.statustype` answers each zaak with
`"_expand": {"zaaktype": {...}, "status": {..., "_expand": {"statustype": {...}}}}`: a URL
field becomes one object (`{}` when the field is empty), a list of URLs a list of objects.

Which fields may be expanded, and what they point to, is the standard's expand grammar
(themas/expand_paden.md), written down once in `LINKS`. What loads the objects is a registry:
every resource built with core/resource.py registers itself (add_operations), the Catalogi
register registers its types at start-up (catalogi/api/expand.py). Each level of the requested
paths costs one batch per distinct collection, whatever the number of objects on the page.

The rules (Zaken API gedrag.md): a field pointing outside the Zaken and Catalogi APIs may not
be expanded (zrc-025, 400); expansion may go to any depth (zrc-026); a path that names no
expandable attribute of the resource is a 404 (zrc-027); and what is asked for must be
returned whole, or the answer is a 404 (zrc-028, drc-014 in the Documenten API): a URL that is
not ours, names nothing, or names an object the caller may not read, cannot be expanded. The
404 says the same in all three cases, so it does not tell whether an unreadable object exists.

This module imports no register; the registers hand it their loaders.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select

from mijnzaken.core.auth import Requirement
from mijnzaken.core.db import among
from mijnzaken.core.errors import InvalidParam, NotFound, ValidationFailed

if TYPE_CHECKING:
    from mijnzaken.core.resource import Ctx, Resource

Key = tuple[str, str]  # (api, collection), e.g. ("zaken", "statussen")
Body = dict[str, Any]
Loader = Callable[["Ctx", Sequence[uuid.UUID]], Awaitable[Mapping[uuid.UUID, Body]]]
Tree = dict[str, "Tree"]  # "status,status.statustype" -> {"status": {"statustype": {}}}


@dataclass(frozen=True)
class Link:
    """Where an expandable field points: a collection of ours, or (None) outside the Zaken
    and Catalogi APIs. `key`: the list items are objects holding the URL under this key."""

    target: Key | None
    key: str | None = None
    # an empty reference expands to null instead of the Zaken APIs' EmptyObject `{}`
    # (the Klantinteracties API's _expand members are nullable objects)
    null: bool = False
    # an empty reference is left out of `_expand` (the Besluiten API's BesluitEmbedded.zaak is
    # a ZaakExpanded, which neither `{}` nor null satisfies)
    omit_empty: bool = False


OUTSIDE = Link(None)


def _to(api: str, collection: str, key: str | None = None) -> Link:
    return Link((api, collection), key)


def _zaken(collection: str, key: str | None = None) -> Link:
    return _to("zaken", collection, key)


def _catalogi(collection: str, key: str | None = None) -> Link:
    return _to("catalogi", collection, key)


ZAAK = _zaken("zaken")

# The expand grammar (SOLL) of the Zaken API and of the Catalogi types it refers to.
LINKS: dict[Key, dict[str, Link]] = {
    ("zaken", "zaken"): {
        "zaaktype": _catalogi("zaaktypen"),
        "hoofdzaak": ZAAK,
        "deelzaken": ZAAK,
        "relevanteAndereZaken": _zaken("zaken", key="url"),
        "eigenschappen": _zaken("zaakeigenschappen"),
        "rollen": _zaken("rollen"),
        "status": _zaken("statussen"),
        "zaakinformatieobjecten": _zaken("zaakinformatieobjecten"),
        "zaakobjecten": _zaken("zaakobjecten"),
        "resultaat": _zaken("resultaten"),
        "communicatiekanaal": OUTSIDE,
        "productenOfDiensten": OUTSIDE,
        "selectielijstklasse": OUTSIDE,
    },
    ("zaken", "statussen"): {
        "zaak": ZAAK,
        "statustype": _catalogi("statustypen"),
        "gezetdoor": _zaken("rollen"),
        "zaakinformatieobjecten": _zaken("zaakinformatieobjecten"),
    },
    ("zaken", "resultaten"): {"zaak": ZAAK, "resultaattype": _catalogi("resultaattypen")},
    ("zaken", "rollen"): {
        "zaak": ZAAK,
        "roltype": _catalogi("roltypen"),
        "statussen": _zaken("statussen"),
        "betrokkene": OUTSIDE,
    },
    ("zaken", "zaakobjecten"): {
        "zaak": ZAAK,
        "zaakobjecttype": _catalogi("zaakobjecttypen"),
        "object": OUTSIDE,
    },
    ("zaken", "zaakinformatieobjecten"): {
        "zaak": ZAAK,
        "status": _zaken("statussen"),
        "informatieobject": OUTSIDE,
    },
    ("zaken", "zaakeigenschappen"): {"zaak": ZAAK, "eigenschap": _catalogi("eigenschappen")},
    ("zaken", "besluiten"): {"besluit": OUTSIDE},  # /zaken/{uuid}/besluiten
    ("zaken", "klantcontacten"): {"zaak": ZAAK},
    ("zaken", "zaakcontactmomenten"): {"zaak": ZAAK, "contactmoment": OUTSIDE},
    ("zaken", "zaakverzoeken"): {"zaak": ZAAK, "verzoek": OUTSIDE},
    ("catalogi", "catalogussen"): {
        "zaaktypen": _catalogi("zaaktypen"),
        "besluittypen": _catalogi("besluittypen"),
        "informatieobjecttypen": _catalogi("informatieobjecttypen"),
    },
    ("catalogi", "zaaktypen"): {
        "catalogus": _catalogi("catalogussen"),
        "statustypen": _catalogi("statustypen"),
        "resultaattypen": _catalogi("resultaattypen"),
        "eigenschappen": _catalogi("eigenschappen"),
        "informatieobjecttypen": _catalogi("informatieobjecttypen"),
        "roltypen": _catalogi("roltypen"),
        "besluittypen": _catalogi("besluittypen"),
        "zaakobjecttypen": _catalogi("zaakobjecttypen"),
        "deelzaaktypen": _catalogi("zaaktypen"),
        "gerelateerdeZaaktypen": _catalogi("zaaktypen", key="zaaktype"),
        "selectielijstProcestype": OUTSIDE,
    },
    ("catalogi", "statustypen"): {
        "zaaktype": _catalogi("zaaktypen"),
        "catalogus": _catalogi("catalogussen"),
        "eigenschappen": _catalogi("eigenschappen"),
    },
    ("catalogi", "roltypen"): {
        "zaaktype": _catalogi("zaaktypen"),
        "catalogus": _catalogi("catalogussen"),
    },
    ("catalogi", "resultaattypen"): {
        "zaaktype": _catalogi("zaaktypen"),
        "catalogus": _catalogi("catalogussen"),
        "besluittypen": _catalogi("besluittypen"),
        "informatieobjecttypen": _catalogi("informatieobjecttypen"),
        "resultaattypeomschrijving": OUTSIDE,
        "selectielijstklasse": OUTSIDE,
    },
    ("catalogi", "eigenschappen"): {
        "catalogus": _catalogi("catalogussen"),
        "zaaktype": _catalogi("zaaktypen"),
        "statustype": _catalogi("statustypen"),
    },
    ("catalogi", "informatieobjecttypen"): {
        "catalogus": _catalogi("catalogussen"),
        "zaaktypen": _catalogi("zaaktypen"),
        "besluittypen": _catalogi("besluittypen"),
    },
    ("catalogi", "besluittypen"): {
        "catalogus": _catalogi("catalogussen"),
        "zaaktypen": _catalogi("zaaktypen"),
        "informatieobjecttypen": _catalogi("informatieobjecttypen"),
        "resultaattypen": _catalogi("resultaattypen"),
    },
    ("catalogi", "zaakobjecttypen"): {
        "zaaktype": _catalogi("zaaktypen"),
        "catalogus": _catalogi("catalogussen"),
        "resultaattypen": _catalogi("resultaattypen"),
        "statustypen": _catalogi("statustypen"),
        "objecttype": OUTSIDE,
    },
    ("catalogi", "zaaktype-informatieobjecttypen"): {
        "zaaktype": _catalogi("zaaktypen"),
        "catalogus": _catalogi("catalogussen"),
        "informatieobjecttype": _catalogi("informatieobjecttypen"),
        "statustype": _catalogi("statustypen"),
    },
}


@dataclass(frozen=True)
class Target:
    """How to load the objects of one collection, and who may read them."""

    load: Loader  # the objects with these UUIDs the caller may see, rendered, by UUID
    read: tuple[Requirement, ...]  # (component, scope) pairs of which the caller needs one


_TARGETS: dict[Key, Target] = {}


def register(api: str, collection: str, load: Loader, read: Sequence[Requirement]) -> None:
    """Make the objects of `api`/`collection` expandable wherever a field points at them."""
    _TARGETS[(api, collection)] = Target(load, tuple(read))


def register_resource(
    resource: Resource[Any], visible: Callable[[Ctx], Awaitable[Select[Any]]] | None = None
) -> None:
    """Register a declared resource: `visible` (every object the caller may see; by default
    the list query without filters) narrowed to the wanted UUIDs, rendered in one batch.

    add_operations calls this for every resource; a resource without a list query of its own
    (nested ones) calls it with `visible`, e.g. `common.children_stmt(ctx, Model, None)`.
    A resource that declares `expand_rows` is loaded from those rows instead (and rendered
    by `expand_render`, if it declares one)."""
    if visible is None:
        query, filters = resource.query, resource.filters
        if query is None or filters is None:
            return
        try:
            defaults = filters()  # no filtering: every object the caller may see
        except ValueError:
            return

        async def unfiltered(ctx: Ctx) -> Select[Any]:
            assert query is not None
            return await query(ctx, defaults)

        visible = unfiltered
    select_visible = visible

    rows = resource.expand_rows
    render_rows = resource.expand_render or resource.render

    async def load(ctx: Ctx, idents: Sequence[uuid.UUID]) -> dict[uuid.UUID, Body]:
        items: Sequence[Any]
        if rows is not None:
            items = await rows(ctx, idents)
            bodies = await render_rows(ctx, items)
        else:
            wanted = among(ctx.session, resource.model.uuid, idents)
            stmt = (await select_visible(ctx)).where(wanted)
            items = (await ctx.session.execute(stmt)).scalars().unique().all()
            bodies = await resource.render(ctx, items)
        return {_uuid_of(item): body for item, body in zip(items, bodies, strict=True)}

    register(resource.api, resource.collection, load, resource.read.pairs)


def _uuid_of(item: Any) -> uuid.UUID:
    """The UUID of an object or of a row (a row's mapping reads faster than its attribute)."""
    mapping = getattr(item, "_mapping", None)
    found: uuid.UUID = mapping["uuid"] if mapping is not None else item.uuid
    return found


def paths(value: str | None, api: str, collection: str) -> Tree:
    """The `expand` parameter of a request on `api`/`collection` as a tree of fields, checked
    against the grammar: 404 for a field the resource cannot expand (zrc-027), 400 for one
    that points outside the Zaken and Catalogi APIs (zrc-025)."""
    tree: Tree = {}
    for path in (value or "").split(","):
        path = path.strip()
        if not path:
            continue
        node, where = tree, (api, collection)
        for name in path.split("."):
            link = LINKS.get(where, {}).get(name)
            if link is None:
                raise NotFound(
                    f"expand={path}: {name!r} is geen attribuut van {where[1]} dat "
                    "geëxpandeerd kan worden.",
                    code="expand-onbekend-attribuut",
                )
            if link.target is None:
                reason = (
                    f"{path}: {name!r} verwijst buiten de Zaken en Catalogi API en wordt "
                    "niet geëxpandeerd."
                )
                raise ValidationFailed([InvalidParam("expand", "expand-buiten-bereik", reason)])
            node = node.setdefault(name, {})
            where = link.target
    return tree


class _Idents:
    """Our URLs read back into UUIDs, once per request and collection: a page names the same
    zaaktype fifty times."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.prefixes: dict[str, str] = {}
        self.seen: dict[Key, dict[str, uuid.UUID | None]] = {}

    def of(self, target: Key) -> dict[str, uuid.UUID | None]:
        """The URLs of `target` read so far (look there first, then `parse`)."""
        seen = self.seen.get(target)
        if seen is None:
            seen = self.seen[target] = {}
        return seen

    def parse(self, url: str, target: Key) -> uuid.UUID | None:
        """The UUID of `url` if it is one of ours in `target` (nested URLs such as
        /zaken/{uuid}/zaakeigenschappen/{uuid} included), kept for the next time."""
        api, collection = target
        prefix = self.prefixes.get(api)
        if prefix is None:
            prefix = self.prefixes[api] = f"{self.base}/{api}/api/v1/"
        ident: uuid.UUID | None = None
        rest = url[len(prefix) + len(collection) + 1 :]
        if (
            len(rest) == 36
            and "/" not in rest
            and url.startswith(prefix)
            and url[len(prefix) :].startswith(collection + "/")
        ):
            # what we render: <prefix><collection>/<uuid>
            try:
                ident = uuid.UUID(rest)
            except ValueError:
                ident = None
        elif url.startswith(prefix):
            segments = url[len(prefix) :].rstrip("/").split("/")
            if len(segments) >= 2 and segments[-2] == collection:
                try:
                    ident = uuid.UUID(segments[-1])
                except ValueError:
                    ident = None
        self.of(target)[url] = ident
        return ident


def _urls(value: Any, link: Link) -> list[Any]:
    items = value if isinstance(value, list) else [value]
    if link.key is not None:
        return [i.get(link.key) if isinstance(i, dict) else None for i in items]
    return items


def _may_read(ctx: Ctx, target: Target) -> bool:
    return any(ctx.auth.has_scope(component, scope) for component, scope in target.read)


def _by_int(ident: uuid.UUID) -> int:
    return ident.int  # a UUID's order, without its comparison methods


# one requested field of one body: its name, where it points, what to expand in what it
# points at, and every reference it holds with the UUID read from it (None: not ours)
_Field = tuple[str, Link, Tree, list[tuple[Any, uuid.UUID | None]]]
# what to expand in the bodies of one collection: (name, where it points, its subtree, the
# URLs of that collection read so far)
_Plan = list[tuple[str, Link, Key, Tree, dict[str, uuid.UUID | None]]]


def _plan(where: Key, node: Tree, idents: _Idents) -> _Plan:
    links = LINKS[where]
    plan: _Plan = []
    for name, children in node.items():
        link = links[name]
        assert link.target is not None  # `paths` let no reference outside through
        plan.append((name, link, link.target, children, idents.of(link.target)))
    return plan


async def expand(ctx: Ctx, bodies: Sequence[Body], api: str, collection: str, tree: Tree) -> None:
    """Add `_expand` to `bodies` (rendered objects of `api`/`collection`), in place.

    Level by level: gather the URLs every body holds in the requested fields, load each
    collection once for all of them, place the objects and go one level deeper. An object
    placed where nothing is expanded in it is the loaded one itself, shared by every place
    that names it (a page names the same zaaktype fifty times); one that gets an `_expand`
    of its own is a copy. The caller serialises the bodies and changes none of them.
    """
    # (a body, where it comes from, what to expand in it, its path from the top: "status.")
    level: list[tuple[Body, Key, Tree, str]] = [
        (b, (api, collection), tree, "") for b in bodies if tree
    ]
    idents = _Idents(ctx.urls.base)
    plans: dict[tuple[Key, int], _Plan] = {}  # per (collection, subtree): the same per level

    while level:
        wanted: dict[Key, set[uuid.UUID]] = {}
        fields_of: list[list[_Field]] = []
        for body, where, node, _path in level:
            plan = plans.get((where, id(node)))
            if plan is None:
                plan = plans[(where, id(node))] = _plan(where, node, idents)
            fields: list[_Field] = []
            for name, link, target, children, seen in plan:
                if name not in body:
                    continue
                value = body[name]
                urls = (
                    [value] if link.key is None and isinstance(value, str) else _urls(value, link)
                )
                refs: list[tuple[Any, uuid.UUID | None]] = []
                for url in urls:
                    if isinstance(url, str):
                        ident = seen[url] if url in seen else idents.parse(url, target)
                        if ident is not None:
                            found_idents = wanted.get(target)
                            if found_idents is None:
                                found_idents = wanted[target] = set()
                            found_idents.add(ident)
                    else:
                        ident = None
                    refs.append((url, ident))
                fields.append((name, link, children, refs))
            fields_of.append(fields)
        loaded: dict[Key, Mapping[uuid.UUID, Body]] = {}
        for key, found_idents in wanted.items():
            found_target = _TARGETS.get(key)
            if found_target is not None and _may_read(ctx, found_target):
                loaded[key] = await found_target.load(ctx, sorted(found_idents, key=_by_int))
        deeper: list[tuple[Body, Key, Tree, str]] = []
        for (body, _where, _node, path), fields in zip(level, fields_of, strict=True):
            embedded: Body = body.setdefault("_expand", {})
            for name, link, children, refs in fields:
                assert link.target is not None
                found = loaded.get(link.target, {})
                placed: list[Body] = []
                for url, ident in refs:
                    if not url:
                        continue
                    obj = found.get(ident) if ident is not None else None
                    if obj is None:
                        raise _unavailable(path + name)
                    if children:
                        obj = dict(obj)  # it gets an `_expand` of its own
                        deeper.append((obj, link.target, children, f"{path}{name}."))
                    placed.append(obj)
                value = body[name]
                if isinstance(value, list):
                    embedded[name] = placed
                elif not value:
                    # the spec's EmptyObject for an empty reference (or null, see Link.null)
                    if not link.omit_empty:
                        embedded[name] = None if link.null else {}
                elif placed:
                    embedded[name] = placed[0]
        level = deeper


def _unavailable(path: str) -> NotFound:
    """zrc-028: what `expand` asks for cannot be returned."""
    return NotFound(
        f"expand={path}: het object waar dit attribuut naar verwijst kan niet worden "
        "opgehaald (niet van deze registratie, niet gevonden of niet toegankelijk).",
        code="expand-niet-op-te-halen",
    )


async def apply(
    ctx: Ctx, bodies: Sequence[Body], api: str, collection: str, value: str | None
) -> None:
    """Check `value` (an `expand` parameter) and expand `bodies` by it; for hand-written
    endpoints. Check first (`paths`) when the error must come before any other work."""
    await expand(ctx, bodies, api, collection, paths(value, api, collection))


# zrc-029: the `fields` element of POST /zaken/_zoek, e.g.
# ["url", {"zaaktype": ["omschrijving", {"catalogus": ["domein"]}]}, {"resultaat": ["*"]}]:
# plain names are the attributes to return ("*": all of them), an object expands its keys and
# names what to return of the expanded objects. `fields` and `expand` exclude each other.


def fields_paths(fields: Sequence[Any], api: str, collection: str) -> Tree:
    """The expansion a `fields` element asks for, checked as `paths` checks `expand`."""

    def dotted(items: Sequence[Any], prefix: str) -> list[str]:
        out: list[str] = []
        for item in items:
            if isinstance(item, dict):
                for name, sub in item.items():
                    out.append(prefix + name)
                    out.extend(dotted(sub if isinstance(sub, list) else [], f"{prefix}{name}."))
        return out

    return paths(",".join(dotted(fields, "")), api, collection)


def select_fields(body: Body, fields: Sequence[Any]) -> Body:
    """`body` (expanded by `fields_paths`) reduced to the attributes `fields` names."""
    keep: set[str] = set()
    nested: dict[str, Sequence[Any]] = {}
    for item in fields:
        if isinstance(item, dict):
            for name, sub in item.items():
                keep.add(name)
                nested[name] = sub if isinstance(sub, list) else []
        else:
            keep.add(str(item))
    out = dict(body) if "*" in keep else {k: v for k, v in body.items() if k in keep}
    embedded = body.get("_expand")
    if isinstance(embedded, dict) and nested:
        out["_expand"] = {}
        for name, sub in nested.items():
            value = embedded.get(name)
            if isinstance(value, list):
                out["_expand"][name] = [select_fields(v, sub) for v in value]
            elif isinstance(value, dict):
                out["_expand"][name] = select_fields(value, sub) if value else {}
    return out
