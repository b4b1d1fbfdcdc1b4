"""Pure-Python core, grouped by concept (library, render, search, packs, usage ...).

Never imports Qt, OS hooks, or any layer above it (app, platform, ui, commands); a test walks
every import to keep it so.
"""
