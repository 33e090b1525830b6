"""Rules of PartijIdentificator: which register, objecttype and kind of identifier go together,
the identifier itself (BSN and RSIN pass the eleven-test, a KvK-nummer is 8 digits, a
vestigingsnummer 12 and belongs to a KvK-nummer), and uniqueness (globally, and one of each
kind per partij). No message repeats the identifier: it may be a BSN."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core.errors import InvalidParam, ValidationFailed
from mijnzaken.core.validators import elfproef
from mijnzaken.klantinteracties.models import PartijIdentificator
from mijnzaken.klantinteracties.schemas.partij import PartijIdentificatorGroep

OBJECTTYPEN = {"brp": ("natuurlijk_persoon",), "hr": ("niet_natuurlijk_persoon", "vestiging")}
SOORTEN = {
    "natuurlijk_persoon": ("bsn",),
    "niet_natuurlijk_persoon": ("rsin", "kvk_nummer"),
    "vestiging": ("vestigingsnummer",),
}


def _invalid(name: str, code: str, reason: str) -> ValidationFailed:
    return ValidationFailed([InvalidParam(name, code, reason)])


def _object_id_reason(soort: str, value: str) -> str | None:
    if soort == "bsn" and not elfproef(value, bsn=True):
        return "Onjuist BSN: negen cijfers die voldoen aan de elfproef."
    if soort == "rsin" and not elfproef(value, bsn=False):
        return "Onjuist RSIN: negen cijfers die voldoen aan de elfproef."
    if soort == "kvk_nummer" and not (len(value) == 8 and value.isdigit()):
        return "Een KvK-nummer bestaat uit 8 cijfers."
    if soort == "vestigingsnummer" and not (len(value) == 12 and value.isdigit()):
        return "Een vestigingsnummer bestaat uit 12 cijfers."
    return None


def check_types(groep: PartijIdentificatorGroep, prefix: str) -> None:
    """The register, objecttype and soort fit together, and the identifier is valid."""
    if groep.code_objecttype not in OBJECTTYPEN[groep.code_register]:
        raise _invalid(
            f"{prefix}codeObjecttype",
            "invalid",
            f"Voor codeRegister {groep.code_register} zijn alleen toegestaan: "
            + ", ".join(OBJECTTYPEN[groep.code_register]),
        )
    if groep.code_soort_object_id not in SOORTEN[groep.code_objecttype]:
        raise _invalid(
            f"{prefix}codeSoortObjectId",
            "invalid",
            f"Voor codeObjecttype {groep.code_objecttype} zijn alleen toegestaan: "
            + ", ".join(SOORTEN[groep.code_objecttype]),
        )
    reason = _object_id_reason(groep.code_soort_object_id, groep.object_id)
    if reason is not None:
        raise _invalid(f"{prefix}objectId", "invalid", reason)


async def check_relations(
    session: AsyncSession,
    groep: PartijIdentificatorGroep,
    *,
    sub: PartijIdentificator | None,
    partij_id: int | None,
    current: PartijIdentificator | None,
    prefix: str,
    sub_field: str,
) -> None:
    """A vestigingsnummer belongs to a KvK-nummer (and only it has a parent); the identifier
    is unique (within its parent); one of each kind per partij."""
    if sub is not None:
        if current is not None and sub.id == current.id:
            raise _invalid(
                sub_field, "invalid", "Een identificator kan niet zijn eigen ouder zijn."
            )
        if groep.code_soort_object_id != "vestigingsnummer":
            raise _invalid(
                sub_field,
                "invalid",
                "Alleen een vestigingsnummer kan een subIdentificatorVan hebben.",
            )
        if sub.code_soort_object_id != "kvk_nummer":
            raise _invalid(sub_field, "invalid", "subIdentificatorVan moet een KvK-nummer zijn.")
    elif groep.code_soort_object_id == "vestigingsnummer":
        raise _invalid(
            sub_field,
            "required",
            "Een vestigingsnummer hoort bij een KvK-nummer: geef subIdentificatorVan.",
        )
    same = select(PartijIdentificator.id).where(
        PartijIdentificator.code_objecttype == groep.code_objecttype,
        PartijIdentificator.code_soort_object_id == groep.code_soort_object_id,
        PartijIdentificator.object_id == groep.object_id,
        PartijIdentificator.code_register == groep.code_register,
        PartijIdentificator.sub_identificator_van_id == sub.id
        if sub is not None
        else PartijIdentificator.sub_identificator_van_id.is_(None),
    )
    if current is not None:
        same = same.where(PartijIdentificator.id != current.id)
    if (await session.execute(same.limit(1))).first() is not None:
        raise _invalid(
            prefix.rstrip("."),
            "unique",
            "PartijIdentificator moet uniek zijn, er bestaat er al een met deze "
            "gegevenscombinatie.",
        )
    if partij_id is not None:
        kind = select(PartijIdentificator.id).where(
            PartijIdentificator.partij_id == partij_id,
            PartijIdentificator.code_soort_object_id == groep.code_soort_object_id,
        )
        if current is not None:
            kind = kind.where(PartijIdentificator.id != current.id)
        if (await session.execute(kind.limit(1))).first() is not None:
            raise _invalid(
                f"{prefix}codeSoortObjectId",
                "unique",
                "De partij heeft al een identificator van deze soort.",
            )


async def has_children(session: AsyncSession, obj: PartijIdentificator) -> bool:
    stmt = select(PartijIdentificator.id).where(
        PartijIdentificator.sub_identificator_van_id == obj.id
    )
    return (await session.execute(stmt.limit(1))).first() is not None


def columns(groep: PartijIdentificatorGroep) -> dict[str, Any]:
    return {
        "code_objecttype": groep.code_objecttype,
        "code_soort_object_id": groep.code_soort_object_id,
        "object_id": groep.object_id,
        "code_register": groep.code_register,
    }


def unchanged(obj: PartijIdentificator, groep: PartijIdentificatorGroep) -> bool:
    return all(getattr(obj, k) == v for k, v in columns(groep).items())
