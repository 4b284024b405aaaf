"""PyInstaller's entry script: the frozen `latecal` runs the same `main()` as the console script."""

import sys

from latecal.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
