"""Replace an output folder as one: a lock, a staging folder beside it, an atomic swap.

`replacing(out)` is how `kg build` and `kg publish` write. It

1. refuses kg's own data folders (the package, ontology/, shapes/, seeds/, anything inside
   them and every folder that holds them, up to /), a path that is not a folder, a mount
   point (a mount point cannot be swapped) and the current folder or one that holds it;
2. takes an exclusive `flock` on the lock file `.<name>.kg-lock` beside the folder: one kg
   writer per folder at a time. A second writer waits (up to `wait` seconds, then an
   OutputError naming the holder's pid). Holding the lock, it also removes what a killed
   writer left (staging and old folders) and puts the old folder back if a kill fell inside
   the fallback switch below. The lock file is unlinked before the lock is released, so none
   stays behind; a waiter that then wins the lock on an unlinked file tries again;
3. yields a fresh staging folder `.<name>.kg-new-XXXXXXXX` beside the folder, on the same file
   system, for the caller to fill;
4. on success, carries over the files the caller did not write (`keep_foreign`, hard links,
   else copies; kg build keeps files it does not own, as it always has; a folder inside is
   refused instead, before anything is written), then switches the staging folder in with
   Linux renameat2(RENAME_EXCHANGE): one system call, so the path holds either every old file
   or every new one, never a mix, and a kill leaves one or the other. Where the exchange is
   not available (not Linux, an old kernel, a file system without it) the switch is two
   renames, old folder aside then new in: a reader then may find no folder for that instant,
   never a mix, and a kill between the two is undone by the next writer;
5. on any error or interrupt (KeyboardInterrupt, which the command line also raises for
   SIGTERM), removes the staging folder: nothing was changed.

SIGINT and SIGTERM are held during the switch and its clean-up (in the main thread), so they
land just after it.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from kg.errors import OutputError
from kg.resources import data_dir

LOCK_WAIT = 300.0  # seconds a second writer waits for the first before giving up
_POLL = 0.02
_PACKAGE = Path(__file__).resolve().parent
_DATA_FOLDERS = ("ontology", "shapes", "seeds")
# The temporary files kg build staged inside the output folder before it swapped whole
# folders (left there by a kill): never carried over.
_OLD_TEMP = re.compile(r"\.[^/]+\.[A-Za-z0-9_]{8}\.tmp")
_HELD = {signal.SIGINT, signal.SIGTERM}

AT_FDCWD = -100
RENAME_EXCHANGE = 2
try:
    _renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    _renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                           ctypes.c_uint]
    _renameat2.restype = ctypes.c_int
except (AttributeError, OSError):  # no renameat2 in the C library: not Linux, or old glibc
    _renameat2 = None


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False where the system or file system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), os.fspath(b))


def kg_folders() -> list[tuple[str, Path]]:
    """kg's own folders, which no output may replace: (what, real path)."""
    found = [("package", _PACKAGE)]
    for name in _DATA_FOLDERS:
        with suppress(FileNotFoundError):
            found.append((name, data_dir(name).resolve()))
    return found


def check_target(out_dir: str | os.PathLike, *, keep_foreign: bool = False,
                 command: str = "kg", owned: tuple[str, ...] = ()) -> Path:
    """The real path of out_dir, or an OutputError if it must not be written as a folder.
    `owned` names the folders inside that the caller writes (kg build's index): they are
    neither refused nor carried over."""
    real = Path(out_dir).resolve()
    for what, folder in kg_folders():
        if real == folder or folder.is_relative_to(real) or real.is_relative_to(folder):
            where = "is" if real == folder else "holds" if folder.is_relative_to(real) else \
                "is inside"
            raise OutputError(f"refused as an output folder: it {where} kg's own {what} folder "
                              f"({folder}), which {command} would overwrite; choose another "
                              "--out", path=out_dir)
    if real.exists() or real.is_symlink():
        if not real.is_dir():
            raise OutputError("exists and is not a folder", path=out_dir)
        if os.path.ismount(real):
            raise OutputError(f"is a mount point, which {command} cannot replace as one: "
                              "give a folder inside it", path=out_dir)
        if keep_foreign:
            _refuse_folders_inside(real, out_dir, command, owned)
    cwd = Path.cwd().resolve()
    if cwd.is_relative_to(real):
        raise OutputError(f"is the current folder or holds it; {command} replaces its output "
                          "folder as a whole, which would leave this shell in a removed folder: "
                          "give a folder inside it", path=out_dir)
    return real


def _refuse_folders_inside(real: Path, shown, command: str, owned: tuple[str, ...] = ()) -> None:
    try:
        inside = sorted(e.name for e in os.scandir(real)
                        if e.is_dir(follow_symlinks=False) and e.name not in owned)
    except OSError as exc:
        raise OutputError(f"cannot read the output folder: {exc.strerror}", path=shown) from None
    if inside:
        raise OutputError(f"holds a folder that {command} did not write ({inside[0]}/); it "
                          "replaces the folder as a whole and keeps only files: move it out, "
                          "or choose another --out", path=shown)


@contextmanager
def replacing(out_dir: str | os.PathLike, *, keep_foreign: bool = False, command: str = "kg",
              wait: float = LOCK_WAIT, owned: tuple[str, ...] = ()) -> Iterator[Path]:
    """Lock out_dir and yield an empty staging folder; once the block ends without error, the
    staging folder becomes out_dir in one step (see the module's description)."""
    real = check_target(out_dir, keep_foreign=keep_foreign, command=command, owned=owned)
    parent = real.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror}",
                          path=out_dir) from None
    with _locked(parent / f".{real.name}.kg-lock", out_dir, command, wait):
        _recover(real)
        check_target(out_dir, keep_foreign=keep_foreign, command=command,
                     owned=owned)  # now we hold it
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{real.name}.kg-new-", dir=parent))
        except OSError as exc:
            raise OutputError(f"cannot create the output folder: {exc.strerror}",
                              path=out_dir) from None
        try:
            yield staging
            with _signals_held():
                if keep_foreign and real.is_dir():
                    _carry_over(real, staging, out_dir, command, owned)
                _set_mode(staging, real)
                try:
                    _switch(staging, real)
                except OSError as exc:
                    raise OutputError(f"cannot switch the new files in, nothing was changed: "
                                      f"{exc.strerror}", path=out_dir) from None
        finally:
            with _signals_held():
                shutil.rmtree(staging, ignore_errors=True)  # the old files, or the aborted new


def _switch(staging: Path, real: Path) -> None:
    """Put staging at real; what was at real ends at staging (exchange) or is removed."""
    if not real.exists():
        os.rename(staging, real)
        return
    if exchange(staging, real):
        return
    old = Path(tempfile.mkdtemp(prefix=f".{real.name}.kg-old-", dir=real.parent))
    os.rename(real, old / "folder")
    try:
        os.rename(staging, real)
    except BaseException:
        os.rename(old / "folder", real)
        old.rmdir()
        raise
    shutil.rmtree(old, ignore_errors=True)


def _recover(real: Path) -> None:
    """Undo what a killed writer left beside real (we hold the lock: nobody else is writing)."""
    name = glob_escape(real.name)
    for old in sorted(real.parent.glob(f".{name}.kg-old-*")):
        if (old / "folder").is_dir() and not real.exists():
            os.rename(old / "folder", real)  # a kill fell between the fallback's two renames
    for path in [*real.parent.glob(f".{name}.kg-old-*"), *real.parent.glob(f".{name}.kg-new-*")]:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _carry_over(real: Path, staging: Path, shown, command: str,
                owned: tuple[str, ...] = ()) -> None:
    """Link (else copy) into staging every entry of real the caller did not write (and does
    not own)."""
    written = set(os.listdir(staging)) | set(owned)
    for entry in os.scandir(real):
        if entry.name in written or _OLD_TEMP.fullmatch(entry.name):
            continue
        target = staging / entry.name
        if entry.is_dir(follow_symlinks=False):
            _refuse_folders_inside(real, shown, command, owned)
        elif entry.is_symlink():
            os.symlink(os.readlink(entry.path), target)
        else:
            try:
                os.link(entry.path, target, follow_symlinks=False)
            except OSError:
                shutil.copy2(entry.path, target, follow_symlinks=False)


def _set_mode(staging: Path, real: Path) -> None:
    try:
        mode = stat.S_IMODE(os.stat(real).st_mode)
    except FileNotFoundError:
        mode = 0o755
    os.chmod(staging, mode)


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (main thread only: where they land)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def _locked(lock: Path, shown, command: str, wait: float) -> Iterator[None]:
    fd = _acquire(lock, shown, command, wait)
    try:
        yield
    finally:
        with _signals_held():
            with suppress(FileNotFoundError):
                os.unlink(lock)
            os.close(fd)


def _acquire(lock: Path, shown, command: str, wait: float) -> int:
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot create the lock file {lock.name}: {exc.strerror}",
                              path=shown) from None
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise OutputError(f"another {command} (pid {_holder(fd)}) is writing "
                                          f"this folder; waited {wait:g} s for it: try again "
                                          "once it has finished", path=shown) from None
                    time.sleep(_POLL)
            if _same_file(fd, lock):
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the holder unlinked it as we waited: lock the current file


def _same_file(fd: int, path: Path) -> bool:
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino)


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
    except OSError:
        return "?"
