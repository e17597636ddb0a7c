"""A seeded simulator of the MQTT feed: trucks, seals, yards, gates and phones, with injected faults.

Pure scenario generation (:mod:`controlroom.simulator.scenario`) is separate from publishing
(:mod:`controlroom.simulator.publisher`), so tests and replay files need no broker. Qt-free.
"""
