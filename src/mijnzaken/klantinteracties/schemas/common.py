"""Field types and groups the Klantinteracties resources share: references by UUID, addresses,
names, object identificators, digital-address values, and list filters with `pageSize`."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model, field_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from mijnzaken.core.api import ApiModel

MAX_PAGE_SIZE = 500


def fail(code: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(code, message, {"code": code})


class DocModel(BaseModel):
    """Base of response schemas: they document what the renderers write (camelCase)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class Ref(ApiModel):
    """A reference to another resource of this API, by its UUID (`url` is read-only)."""

    uuid: uuid.UUID


class RefOut(DocModel):
    uuid: str
    url: str


# --- groups ------------------------------------------------------------------------------

Postcode = Annotated[str, Field(max_length=7, pattern=r"^[1-9][0-9]{3} [A-Z]{2}$")]


class Adres(ApiModel):
    """bezoekadres / correspondentieadres."""

    nummeraanduiding_id: str | None = Field(default=None, max_length=16, pattern=r"^[0-9]{16}$")
    straatnaam: str | None = Field(default=None, max_length=255)
    huisnummer: int | None = Field(default=None, ge=1, le=99999)
    huisnummertoevoeging: str | None = Field(default=None, max_length=20)
    postcode: Postcode | None = None
    stad: str | None = Field(default=None, max_length=255)
    adresregel1: str | None = Field(default=None, max_length=80)
    adresregel2: str | None = Field(default=None, max_length=80)
    adresregel3: str | None = Field(default=None, max_length=80)
    land: str | None = Field(default=None, min_length=2, max_length=2)

    @field_validator("land")
    @classmethod
    def _iso_3166(cls, value: str | None) -> str | None:
        if value is not None and not value.isalpha():
            raise fail("invalid", "Geef een ISO 3166-landcode van twee letters.")
        return value.upper() if value else value

    def dump(self) -> dict[str, Any]:
        """The given, non-empty fields (empty ones would break the patterns on read)."""
        return {
            k: v for k, v in self.model_dump(by_alias=True).items() if v is not None and v != ""
        }


class Contactnaam(ApiModel):
    voorletters: str = Field(default="", max_length=10)
    voornaam: str = Field(default="", max_length=200)
    voorvoegsel_achternaam: str = Field(default="", max_length=10)
    achternaam: str = Field(default="", max_length=200)

    def dump(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True)


def volledige_naam(contactnaam: dict[str, Any] | None) -> str:
    """voornaam, voorvoegsel and achternaam, as one name."""
    if not contactnaam:
        return ""
    parts = (contactnaam.get(k) for k in ("voornaam", "voorvoegselAchternaam", "achternaam"))
    return " ".join(p for p in parts if p)


class Identificator(ApiModel):
    """Identifies an object in another register (onderwerpobject, bijlage, actor)."""

    object_id: str = Field(default="", max_length=200)
    code_objecttype: str = Field(default="", max_length=200)
    code_register: str = Field(default="", max_length=200)
    code_soort_object_id: str = Field(default="", max_length=200)


IDENTIFICATOR_FIELDS = ("object_id", "code_objecttype", "code_register", "code_soort_object_id")


def identificator_columns(value: Identificator | None) -> dict[str, str | None]:
    if value is None:
        return dict.fromkeys(IDENTIFICATOR_FIELDS)
    return {name: getattr(value, name) for name in IDENTIFICATOR_FIELDS}


def identificator_body(obj: Any) -> dict[str, str] | None:
    values = [getattr(obj, name) for name in IDENTIFICATOR_FIELDS]
    if all(v is None for v in values):
        return None
    return {
        "objectId": obj.object_id or "",
        "codeObjecttype": obj.code_objecttype or "",
        "codeRegister": obj.code_register or "",
        "codeSoortObjectId": obj.code_soort_object_id or "",
    }


# --- values --------------------------------------------------------------------------------

TELEFOON = re.compile(r"^(0[1-9][0-9]{8}|\+[0-9]{9,15}|00[0-9]{7,13})$")
# service and premium numbers reach no person: 0800, 0900, 1400 and 140xx
_TELEFOON_NIET = re.compile(r"^(0800|0900|1400|140[0-9]{2})")


def check_telefoonnummer(value: str) -> str:
    if not TELEFOON.match(value) or _TELEFOON_NIET.match(value):
        raise fail(
            "invalid",
            "Voer een geldig telefoonnummer in: 0612345678, +31612345678 of 0031612345678 "
            "(geen 0800-, 0900- of 140-nummers).",
        )
    return value


def check_email(value: str) -> str:
    """An e-mail address by the rules of the email-validator library (syntax only)."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise fail("invalid", "Voer een geldig e-mailadres in.") from exc
    return value


Telefoonnummer = Annotated[str, Field(max_length=20), AfterValidator(check_telefoonnummer)]
Email = Annotated[
    str, Field(max_length=254, json_schema_extra={"format": "email"}), AfterValidator(check_email)
]


# --- filters -------------------------------------------------------------------------------


class ListFilter(ApiModel):
    """The query parameters every list has: `page` and `pageSize` (at most 500)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    page: int = 1
    page_size: int | None = Field(default=None, alias="pageSize", ge=1)

    @field_validator("page_size")
    @classmethod
    def _at_most(cls, value: int | None) -> int | None:
        return min(value, MAX_PAGE_SIZE) if value is not None else None

    def given(self) -> dict[str, Any]:
        """The filters given, by their query-parameter name (page and pageSize left out)."""
        values = self.model_dump(by_alias=True, exclude_none=True, exclude={"page", "page_size"})
        return {k: v for k, v in values.items() if k != "expand"}


def list_filter(name: str, params: dict[str, Any]) -> type[ListFilter]:
    """A filter model with the query parameters `params` (name as in the spec -> type)."""
    fields: dict[str, Any] = {}
    for alias, typ in params.items():
        python = re.sub(r"[^0-9a-zA-Z]+", "_", alias).strip("_")
        python = re.sub(r"(?<!^)(?=[A-Z])", "_", python).lower()
        key = "expand" if alias == "expand" else f"f_{python}"
        fields[key] = (typ | None, Field(default=None, alias=alias))
    model: type[ListFilter] = create_model(name, __base__=ListFilter, **fields)
    return model


def patch_of(model: type[ApiModel], name: str) -> type[ApiModel]:
    """The PATCH body of `model`: every field optional (the merged result is validated by
    `model` itself, see core.api.merge_patch)."""
    fields: dict[str, Any] = {}
    for key, info in model.model_fields.items():
        annotation: Any = info.annotation
        fields[key] = (annotation | None, Field(default=None, alias=info.alias))
    patched: type[ApiModel] = create_model(name, __base__=ApiModel, **fields)
    return patched


def expanded_doc(name: str, of: str) -> type[DocModel]:
    """A response schema (for the OpenAPI document) written as the spec writes its Expand*
    schemas of polymorphic resources: allOf[<of>, {_expand}]."""

    def rewrite(schema: dict[str, Any]) -> None:
        schema.clear()
        schema["allOf"] = [
            {"$ref": f"#/components/schemas/{of}"},
            {"type": "object", "properties": {"_expand": {"type": "object"}}},
        ]

    config = ConfigDict(**DocModel.model_config)
    config["json_schema_extra"] = rewrite
    doc: type[DocModel] = type(name, (DocModel,), {"model_config": config, "__module__": __name__})
    return doc
