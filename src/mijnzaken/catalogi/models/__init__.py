"""Catalogi tables; importing this package registers all of them on the metadata."""

from mijnzaken.catalogi.models.besluittype import BesluitType
from mijnzaken.catalogi.models.catalogus import Catalogus
from mijnzaken.catalogi.models.eigenschap import Eigenschap
from mijnzaken.catalogi.models.informatieobjecttype import InformatieObjectType
from mijnzaken.catalogi.models.resultaattype import ResultaatType
from mijnzaken.catalogi.models.roltype import RolType
from mijnzaken.catalogi.models.statustype import StatusType
from mijnzaken.catalogi.models.versie import CatalogiVersie
from mijnzaken.catalogi.models.zaakobjecttype import ZaakObjectType
from mijnzaken.catalogi.models.zaaktype import ZaakType
from mijnzaken.catalogi.models.ztiot import ZaakTypeInformatieObjectType

__all__ = [
    "BesluitType",
    "CatalogiVersie",
    "Catalogus",
    "Eigenschap",
    "InformatieObjectType",
    "ResultaatType",
    "RolType",
    "StatusType",
    "ZaakObjectType",
    "ZaakType",
    "ZaakTypeInformatieObjectType",
]
