import sys

from hague.eval.cli import main

sys.exit(main())
