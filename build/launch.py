"""Entry script for the standalone bundle: the same command line as the installed `faceledger`."""

import sys

from faceledger.cli import main

if __name__ == "__main__":
    sys.exit(main())
