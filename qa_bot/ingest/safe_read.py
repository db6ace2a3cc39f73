"""Read a corpus file in one open that cannot leave the corpus folder.

Checking a path (``resolve()``) and then reading it are two steps: a symlink switched
between them makes the read reach outside the folder. Here every path component is opened
relative to the descriptor of the folder above it with ``O_NOFOLLOW``, so no step follows
a link by itself. A link met on the way is read (``readlink``) and its target walked the
same way from the folder it is in, with ``..`` applied to the walked folders, never to the
file system: whatever a link is switched to in the meantime, the walk either stays inside
the corpus folder or fails. The file read is the one opened (``fstat`` on the descriptor
says it is a regular file), so its hash and its text come from the same bytes.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath

MAX_LINK_HOPS = 16
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


class OutsideError(OSError):
    """The path leads outside the corpus folder (through a link or ``..``)."""


class NotRegularError(OSError):
    """The path is not a regular file (a folder, a device, a pipe)."""


class TooLargeError(OSError):
    """The file holds more bytes than the caller accepts."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"{size} bytes, over the limit of {limit}")
        self.size = size
        self.limit = limit


def read_inside(root: Path, rel: str, max_bytes: int | None = None) -> bytes:
    """The bytes of ``root/rel``, reached without leaving ``root``.

    Raises OutsideError for a path (or link) leading out of ``root``, NotRegularError for
    anything but a regular file, TooLargeError past ``max_bytes``, and OSError otherwise.
    """
    fd = open_inside(root, rel)
    try:
        info = os.fstat(fd)
        if max_bytes is not None and info.st_size > max_bytes:
            raise TooLargeError(info.st_size, max_bytes)
        chunks, total = [], 0
        while block := os.read(fd, 1 << 20):
            chunks.append(block)
            total += len(block)
            if max_bytes is not None and total > max_bytes:
                raise TooLargeError(total, max_bytes)  # it grew while being read
        return b"".join(chunks)
    finally:
        os.close(fd)


def open_inside(root: Path, rel: str) -> int:
    """A read-only descriptor of the regular file ``root/rel``, walked link-safely."""
    todo = list(PurePosixPath(rel).parts)
    if not todo or PurePosixPath(rel).is_absolute():
        raise OutsideError(errno.EACCES, f"{rel!r} is not a path inside the corpus folder")
    root_fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    stack = [root_fd]  # descriptors of the folders walked, the corpus folder first
    hops = 0
    try:
        while todo:
            part = todo.pop(0)
            if part in ("", "."):
                continue
            if part == "..":
                if len(stack) == 1:
                    raise OutsideError(errno.EACCES, f"{rel!r} leads outside the corpus folder")
                os.close(stack.pop())
                continue
            last = not todo
            try:
                fd = os.open(part, _FILE_FLAGS if last else _DIR_FLAGS, dir_fd=stack[-1])
            except OSError as err:
                if err.errno not in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                    raise
                target = _link_target(part, stack[-1])
                if target is None:
                    raise
                hops += 1
                if hops > MAX_LINK_HOPS:
                    raise OSError(errno.ELOOP, f"{rel!r}: too many links") from None
                if target.is_absolute():
                    target = _relative_to_root(target, root, rel)
                    while len(stack) > 1:
                        os.close(stack.pop())
                todo = list(target.parts) + todo
                continue
            if last:
                info = os.fstat(fd)
                if not stat.S_ISREG(info.st_mode):
                    os.close(fd)
                    raise NotRegularError(errno.EINVAL, f"{rel!r} is not a regular file")
                # A blocking descriptor from here on (O_NONBLOCK only kept a FIFO from
                # hanging the open).
                os.set_blocking(fd, True)
                return fd
            stack.append(fd)
        raise NotRegularError(errno.EISDIR, f"{rel!r} is a folder")
    finally:
        for d in stack:
            os.close(d)


def _link_target(name: str, dir_fd: int) -> PurePosixPath | None:
    """Where the link ``name`` points, or None when ``name`` is no link."""
    try:
        return PurePosixPath(os.readlink(name, dir_fd=dir_fd))
    except OSError:
        return None


def _relative_to_root(target: PurePosixPath, root: Path, rel: str) -> PurePosixPath:
    """An absolute link target as a path from the corpus folder, if it points inside."""
    base = PurePosixPath(os.path.realpath(root))
    try:
        return target.relative_to(base)
    except ValueError:
        raise OutsideError(errno.EACCES, f"{rel!r} links outside the corpus folder") from None
