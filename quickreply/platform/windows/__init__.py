"""Windows adapters behind the platform protocols, through ctypes only.

Every module here imports on any system: the Win32 libraries are loaded by `win32.load()` when a
Windows adapter is created, and the logic takes that layer as an argument, so tests on Linux pass
a fake one. `win32.py` is the only module that touches ctypes.
"""
