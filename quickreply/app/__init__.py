"""The running application's logic, between the widgets and the OS adapters: the controller
(the one insertion path and its queue), hotkey registration and dispatch, the wiring of every
part from a data dir, and the background timers (reply speed, pack subscriptions). May import
platform and core; never ui or commands.
"""
