"""Pure-Python core: model, store, rendering, search, packs, usage. Never imports Qt or OS hooks."""
