"""The snippet library: the model (snippets, categories), the TinyDB store and its atomic
storage, settings, data paths and the single-instance lock. Pure Python; imports only other core
modules and pure-Python dependencies (TinyDB, filelock, platformdirs).
"""
