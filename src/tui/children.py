"""What the reader's two child processes share (analysis_host, add_host).

No Textual here: the children import this module.
"""
from __future__ import annotations

import os
import subprocess
import time


def watch_parent(parent: int) -> None:
    """In the child (run in a daemon thread): exit as soon as the reader is gone."""
    while True:
        if os.getppid() != parent:
            os._exit(0)
        time.sleep(1.0)


def stop(proc: subprocess.Popen, grace: float = 2.0) -> None:
    """In the reader: terminate the child, and kill it if it has not ended in ``grace`` s."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(grace)
