"""``python -m generator``: the command-line interface."""

import sys

try:
    from generator.cli import main
except ModuleNotFoundError as missing:  # the dependencies are not installed in this Python
    print(
        f"python -m generator: error: the module {missing.name!r} is missing; "
        "install the dependencies first: pip install -r requirements.txt",
        file=sys.stderr,
    )
    sys.exit(2)

sys.exit(main())
