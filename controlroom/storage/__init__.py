"""Persistence: engine set-up, migrations, seeding, audit chain and user accounts. Qt-free."""
