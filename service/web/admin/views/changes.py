"""Applying a form to a row and remembering what changed, for the audit log."""


def apply_changes(row, values):
    """Set each attribute; return {field: [old, new]} for those that really changed."""
    changed = {}
    for field, new in values.items():
        old = getattr(row, field)
        if old != new:
            changed[field] = [_plain(old), _plain(new)]
            setattr(row, field, new)
    return changed


def _plain(value):
    return value if value is None or isinstance(value, int | float | bool | str) else str(value)
