"""Every USSD screen, declared as data and registered once in menus.registry.REGISTRY."""

from menus.screens import caregiver, common, facilitator, registration  # noqa: F401
