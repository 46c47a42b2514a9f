"""Write outputs so that a failed run never leaves a half-written or emptied folder or file."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def _public_mode(mode: int) -> int:
    """``mode`` less the process's umask: what a plain mkdir or open would give."""
    umask = os.umask(0)
    os.umask(umask)
    return mode & ~umask


def staging_dir(target: Path) -> Path:
    """A fresh, empty folder beside ``target`` (same file system, so the swap is a rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    staged.chmod(_public_mode(0o777))  # mkdtemp makes it private; a site folder is read by web servers
    return staged


def swap_in(staged: Path, target: Path) -> None:
    """Put the finished ``staged`` folder in the place of ``target``, then delete the old one."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        target.rename(old)
    staged.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def discard(staged: Path) -> None:
    """Delete a staging folder after a failed run."""
    shutil.rmtree(staged, ignore_errors=True)


def write_file_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target`` and rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, _public_mode(0o666))  # mkstemp makes it private
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
