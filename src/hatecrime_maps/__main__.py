"""Allow ``python -m hatecrime_maps``."""

import sys

from hatecrime_maps.cli import main

sys.exit(main())
