import sys

from lessons.cli.main import main

sys.exit(main())
