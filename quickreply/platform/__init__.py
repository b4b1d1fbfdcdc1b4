"""OS adapters behind small protocols: global hotkeys, key sending, clipboard, the active window,
key events, the control channel (ipc) and display/Qt probes. May import core (types only), never
app, ui or commands.
"""
