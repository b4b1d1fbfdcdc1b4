"""Sub-commands of the `quickreply` command line, one module per group: argument parsing and
printing only. May import app (to launch), core, and platform probes.
"""
