"""`python -m sitrep` runs the command line."""

import sys

from sitrep.cli import main

sys.exit(main())
