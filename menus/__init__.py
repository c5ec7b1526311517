"""USSD: the menu engine and the screens, declared as data."""
