"""The demo facilitators `asuh seed-demo` writes, known to the simulator too (it lets a trainer
act as them without a confirmation in development)."""

DEMO_FACILITATORS = (
    # phone, name, village, language
    ("+6281100000001", "Bu Siti Rahayu", "Kanigoro", "id"),
    ("+6281100000002", "Pak Lalu Ahmad", "Sakra", "id"),
    ("+6281100000003", "Ibu Maria Tefa", "Oelnasi", "en"),
)
DEMO_FACILITATOR_PHONES = frozenset(phone for phone, *_ in DEMO_FACILITATORS)
