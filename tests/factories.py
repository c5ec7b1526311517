"""Builders for the people of the programme, with sensible defaults and committed rows."""

import itertools

from service.households import register_household
from service.models import Facilitator, MigrantParent, Village, db
from service.states import HouseholdStatus

_numbers = itertools.count(1)


def next_phone(prefix="+62813"):
    """A fresh, valid-looking Indonesian mobile number for each call."""
    return f"{prefix}{next(_numbers):08d}"


class Factory:
    """Each builder commits, so the rows are visible to requests and jobs alike."""

    def village(self, name=None, *, timezone="Asia/Jakarta", language="id", **extra):
        row = Village(
            name=name or f"Desa {next(_numbers)}",
            district=extra.pop("district", "Blitar"),
            province=extra.pop("province", "Jawa Timur"),
            timezone=timezone,
            language=language,
            **extra,
        )
        db.session.add(row)
        db.session.commit()
        return row

    def facilitator(self, village=None, *, phone=None, name="Bu Fasilitator", language=None):
        village = village or self.village()
        row = Facilitator(
            name=name,
            phone=phone or next_phone("+62811"),
            village=village,
            language=language or village.language,
        )
        db.session.add(row)
        db.session.commit()
        return row

    def household(
        self,
        village=None,
        *,
        phone=None,
        name="Mbah Sumini",
        relationship="grandmother",
        births=((2016, 4),),
        language=None,
        status=HouseholdStatus.ACTIVE,
        now=None,
    ):
        village = village or self.village()
        outcome = register_household(
            village=village,
            name=name,
            phone=phone or next_phone(),
            relationship=relationship,
            births=list(births),
            language=language,
            status=status,
            actor="test",
            now=now,
        )
        db.session.commit()
        return outcome.household

    def migrant(self, household, *, phone="+85291234567", country="HK", language="id"):
        row = MigrantParent(household=household, phone=phone, country=country, language=language)
        db.session.add(row)
        db.session.commit()
        return row
