"""A real target window in another process: a Tk text box that prints its content on exit.

Usage: python target_window.py OUT_FILE — writes "ready" to OUT_FILE.ready once focused, and
the text box's content to OUT_FILE when the window is closed (or after 20 s).
"""

from __future__ import annotations

import sys
import tkinter as tk
from pathlib import Path


def main() -> None:
    """Show the window, report readiness, save the text at exit."""
    out = Path(sys.argv[1])
    root = tk.Tk()
    root.title("QuickReply test target")
    text = tk.Text(root, width=40, height=6)
    text.pack()

    def save_and_quit() -> None:
        out.write_text(text.get("1.0", "end-1c"), encoding="utf-8")
        root.destroy()

    def ready() -> None:
        root.lift()
        root.focus_force()
        text.focus_set()
        out.with_suffix(".ready").write_text(str(root.winfo_id()), encoding="utf-8")

    text.bind("<Shift-Return>", lambda _e: (text.insert("insert", "\n"), "break")[1])
    text.bind("<Return>", lambda _e: (text.insert("insert", "[SEND]"), "break")[1])
    root.protocol("WM_DELETE_WINDOW", save_and_quit)
    root.after(300, ready)
    root.after(20_000, save_and_quit)
    root.mainloop()


if __name__ == "__main__":
    main()
