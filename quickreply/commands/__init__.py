"""Sub-commands of the `quickreply` command line, one module per group."""
