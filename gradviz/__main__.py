"""``python -m gradviz`` is the ``gradviz`` command."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
