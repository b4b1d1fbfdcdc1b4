"""The usage log and what is computed from it: the event record (ids and timings, never text),
the SQLite log with its writer thread, statistics, exports, metrics, reply speed, typing-speed
calibration and team reports. Pure Python; imports core.library only.
"""
