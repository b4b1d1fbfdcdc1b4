"""`python -m quickreply` runs the same entry point as the `quickreply` command."""

import sys

from quickreply.cli import main

sys.exit(main())
