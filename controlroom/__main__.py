import sys

from controlroom.cli import main

sys.exit(main())
