import sys

from kneadwell.cli import main

sys.exit(main())
