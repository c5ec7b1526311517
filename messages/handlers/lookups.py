"""Checks several commands share: household codes, numbers in use, birth dates."""

from messages.grammar import Kind
from messages.handlers.context import CommandError
from service import codes
from service.households import household_by_code
from service.owners import owner

MAX_CHILD_AGE = 17


def the_code(ctx):
    """The household code typed; digits of the wrong length are named, not ignored."""
    found = [t.text for t in ctx.parsed.of(Kind.CODE)]
    if found:
        return found[0]
    numbers = [t.text for t in ctx.parsed.of(Kind.NUMBER)]
    if numbers:
        raise CommandError("error.code_malformed", code=numbers[0])
    raise CommandError("error.code_missing")


def household_in_village(ctx, code=None):
    """The facilitator's household for the code typed, or the reason it cannot be used."""
    code = code or the_code(ctx)
    if not codes.is_valid(code):
        raise CommandError("error.code_typo", code=code)
    household = household_by_code(code)
    if household is None:
        raise CommandError("error.code_unknown", code=code)
    if household.village_id != ctx.facilitator.village_id:
        raise CommandError("error.code_other_village", code=code, village=ctx.village.name)
    return household


def one_phone(ctx, missing_key="error.phone_missing"):
    """The single valid number typed; a malformed one is quoted back."""
    bad = ctx.parsed.of(Kind.BAD_PHONE)
    if bad:
        raise CommandError("error.phone_invalid", phone=bad[0].text)
    found = ctx.parsed.values(Kind.PHONE)
    if not found:
        raise CommandError(missing_key)
    if len(set(found)) > 1:
        raise CommandError("error.phone_too_many")
    return found[0]


def phone_user(phone):
    """Who already uses this number, as (role, household code or None), or None when free."""
    found = owner(phone, "caregiver", "migrant", "teen", "facilitator")
    return (found.role, found.household_code) if found is not None else None


def refuse_if_used(ctx, phone):
    """Stop a number from belonging to two people."""
    user = phone_user(phone)
    if user is None:
        return
    role, code = user
    role_text = ctx.text(f"role.{role}")
    raise CommandError("error.phone_taken", phone=phone, role=role_text, code=code or "-")


def births(ctx, required=True):
    """(year, month-or-None) for each child birth typed, checked against today."""
    today = ctx.local_now().date()
    found = [_birth(token, today) for token in _birth_tokens(ctx)]
    if required and not found:
        raise CommandError("error.birth_missing")
    return found


def _birth_tokens(ctx):
    return ctx.parsed.of(Kind.YEAR, Kind.YEAR_MONTH, Kind.DATE)


def _birth(token, today):
    if token.value is None:
        raise CommandError("error.date_invalid", date=token.text)
    if token.kind == Kind.YEAR:
        year, month = token.value, None
    elif token.kind == Kind.YEAR_MONTH:
        year, month = token.value
    else:
        _day, month, year = token.value
        if year is None:
            raise CommandError("error.birth_needs_year", date=token.text)
    if (year, month or 1) > (today.year, today.month):
        raise CommandError("error.birth_future", date=token.text)
    if today.year - year > MAX_CHILD_AGE:
        raise CommandError("error.birth_too_old", date=token.text)
    return year, month


def unexpected_numbers(ctx, allowed=()):
    """Refuse stray numbers, so a mistyped field is named instead of silently dropped."""
    for token in ctx.parsed.of(Kind.NUMBER, Kind.TIME, Kind.CODE):
        if token.kind not in allowed:
            raise CommandError("error.not_understood", text=token.text)


def format_birth(year, month):
    return f"{year}-{month:02d}" if month else str(year)
