"""`python -m gongkai_cli`: the command, then the process ends at once.

A publish leaves millions of objects behind (~1 GB at 10k entries); letting the interpreter free
them one by one at exit takes seconds (about 2 s at 10k here) and does nothing the operating system
does not do when the process ends. Every file a command writes is closed and every process it
started is joined before `main` returns; the output streams and logging are flushed here, then
the process ends with `main`'s exit code. (An exception leaving `main` ends the usual way.)"""

import logging
import os
import sys

from .main import main

code = main()
try:
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
except (OSError, ValueError):  # a closed pipe: nothing more can reach it
    pass
os._exit(code if isinstance(code, int) else 0 if code is None else 1)
