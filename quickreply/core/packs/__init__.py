"""Snippet packs: the `.qrpack` format and its validation, building and exporting, signing and
trust, sources (file, folder, URL, index), subscriptions and updates, diffs, and installing into
the library. Pure Python; may import core.library, core.render and core.usage types.
"""
