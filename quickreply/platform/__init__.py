"""OS adapters behind small protocols: global hotkeys, sending keys and the active window."""
