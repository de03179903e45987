"""Channels between processes: OS pipes that hold exactly `capacity` records.

A Linux pipe is a ring of page-sized slots; F_SETPIPE_SZ sets how many (the size in
bytes is rounded up to a power of two, at least one page). Measured on this course's
machines (tests/test_wild_pipes.py keeps it true):
- records of one page each: a pipe of `capacity` pages takes exactly `capacity` records,
  and reading one frees room for one more: the semantics of a Go buffered channel;
- smaller records share a page, so a full pipe still takes no record after one is read:
  the room comes back only when the whole page is drained. That is not a channel.
So a record is one page (which is also PIPE_BUF, so every write of one is atomic, even
with several writers) and a pipe holds a power of two of them, up to
/proc/sys/fs/pipe-max-size. Other capacities are refused rather than faked.

A blocked send blocks in the kernel, inside write(), where /proc and py-spy see it; a
blocked receive likewise in read(). A wait with a timeout, and `select`, use poll().

What a record holds is bytes in a fixed schema, never a pickle: each channel's codec
(PipeChan's `codec`; the story's is story/processes/messages.py) turns an item into
bytes and checks what arrives before anything is made of it.
"""
import errno
import fcntl
import json
import os
import select
import struct
import termios

from .errors import Closed

PAGE = os.sysconf("SC_PAGE_SIZE")
RECORD = PAGE                # one record per slot (see above)
HEADER = struct.Struct(">I")  # the body's length; zeros pad the rest


def max_capacity():
    """The largest capacity an unprivileged process may ask for."""
    with open("/proc/sys/fs/pipe-max-size") as f:
        return int(f.read()) // RECORD


def check_capacity(knob, capacity):
    """Return `capacity` if a pipe can hold exactly that many records, else a ValueError naming `knob`."""
    if RECORD != select.PIPE_BUF:
        raise ValueError(f"{knob}: pipes here have {PAGE}-byte pages but PIPE_BUF is "
                         f"{select.PIPE_BUF}, so a record cannot be both one slot and atomic")
    top = max_capacity()
    ok = (isinstance(capacity, int) and not isinstance(capacity, bool)
          and 1 <= capacity <= top and capacity & (capacity - 1) == 0)
    if not ok:
        powers = ", ".join(str(1 << i) for i in range(top.bit_length()))
        raise ValueError(f"{knob} must be a power of two from 1 to {top} in the processes "
                         f"runtime (a pipe holds whole pages: {powers}), got {capacity!r}")
    return capacity


def encode(name, body):
    """One record: `body` (an item in its codec's bytes) with its length in front, padded
    to RECORD bytes."""
    if len(body) > RECORD - HEADER.size:
        raise ValueError(f"{name}: an item of {len(body)} bytes does not fit a "
                         f"{RECORD}-byte record")
    return HEADER.pack(len(body)) + body + bytes(RECORD - HEADER.size - len(body))


def decode(name, record):
    """The body of one record; ValueError (a sentence naming the channel) if it is malformed."""
    (length,) = HEADER.unpack_from(record)
    if length > RECORD - HEADER.size or any(record[HEADER.size + length:]):
        raise ValueError(f"{name}: a malformed record arrived and was refused (its length "
                         f"says {length} bytes, a record holds at most "
                         f"{RECORD - HEADER.size}, padded with zeros)")
    return record[HEADER.size:HEADER.size + length]


class PlainValues:
    """A codec for plain values (numbers, strings, lists of them) as JSON: what a pipe of
    the primitives' own tests carries. The story's pipes carry its messages instead."""

    @staticmethod
    def pack(value):
        return json.dumps(value, allow_nan=False).encode()

    @staticmethod
    def unpack(data):
        try:
            return json.loads(data)
        except ValueError:
            raise ValueError(f"{len(data)} bytes that are not a JSON value") from None


PLAIN = PlainValues()


def measure(rfd, wfd):
    """How many records the empty pipe takes before a write would block; leaves it empty."""
    record = bytes(RECORD)
    blocking = os.get_blocking(wfd)
    os.set_blocking(wfd, False)
    count = 0
    try:
        while True:
            os.write(wfd, record)
            count += 1
    except BlockingIOError:
        pass
    finally:
        os.set_blocking(wfd, blocking)
    for _ in range(count):
        os.read(rfd, RECORD)
    return count


def open_pipe(knob, capacity):
    """(read fd, write fd) of a new pipe that holds exactly `capacity` records."""
    check_capacity(knob, capacity)
    rfd, wfd = os.pipe()   # close-on-exec: a child gets only the ends it is handed
    try:
        try:
            fcntl.fcntl(wfd, fcntl.F_SETPIPE_SZ, capacity * RECORD)
        except OSError as exc:   # EPERM: over this user's pipe-user-pages limits
            raise ValueError(f"{knob}: the kernel refused a pipe of {capacity} pages "
                             f"({exc.strerror}); ask for less") from None
        got = measure(rfd, wfd)
        if got != capacity:
            raise ValueError(f"{knob}: asked for a pipe of {capacity} records, the kernel "
                             f"gave room for {got}")
    except BaseException:
        os.close(rfd)
        os.close(wfd)
        raise
    return rfd, wfd


def write_record(fd, record):
    """Write one whole record; blocks in the kernel while the pipe is full."""
    try:
        n = os.write(fd, record)
    except BrokenPipeError:
        raise Closed("no process holds the read end any more") from None
    if n != len(record):   # cannot happen for a write of PIPE_BUF bytes to a pipe
        raise OSError(errno.EIO, f"short write of {n} bytes to a pipe")


def read_record(fd):
    """Read one whole record; blocks in the kernel while the pipe is empty."""
    chunks, want = [], RECORD
    while want:
        chunk = os.read(fd, want)
        if not chunk:
            if want == RECORD:
                raise Closed("every write end is closed and the pipe is empty")
            raise OSError(errno.EIO, "a pipe ended in the middle of a record")
        chunks.append(chunk)
        want -= len(chunk)
    return b"".join(chunks)


def depth(fd):
    """Records in the pipe now (either end's fd will do)."""
    buf = bytearray(4)
    fcntl.ioctl(fd, termios.FIONREAD, buf)   # bytes waiting to be read
    return int.from_bytes(buf, "little") // RECORD
