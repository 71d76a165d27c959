"""Query workers with no network: the engine's HTTP client switched off from below.

Whether a query may call SERVICE is decided on a parse before it runs
(accordkg.sparql.federation); a worker that may call none also cannot: a seccomp filter makes
every attempt to open an internet socket (IPv4 or IPv6) fail with EACCES, whatever text
reached the engine. Pipes and Unix sockets, the worker's link to the pool, still work.
"""

import ctypes
import errno
import platform
import socket
import struct

from accordkg.errors import StoreError

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
LOAD_WORD = 0x20  # BPF_LD | BPF_W | BPF_ABS
JUMP_IF_EQUAL = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
RETURN = 0x06  # BPF_RET | BPF_K
# The machines' audit architecture, and their number of the socket system call.
SOCKET_CALLS = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}


class _Filter(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.c_char_p))


def deny_network() -> None:
    """From now on, this process cannot open internet sockets; StoreError where the
    machine offers no way to say so (the worker must then not start)."""
    architecture, socket_call = SOCKET_CALLS.get(platform.machine(), (None, None))
    if architecture is None or socket_call is None:
        raise StoreError(f"cannot switch the network off for query workers on {platform.machine()}")
    program = [  # seccomp_data: nr at 0, arch at 4, args[0] at 16
        (LOAD_WORD, 0, 0, 4),
        (JUMP_IF_EQUAL, 0, 6, architecture),
        (LOAD_WORD, 0, 0, 0),
        (JUMP_IF_EQUAL, 0, 4, socket_call),
        (LOAD_WORD, 0, 0, 16),
        (JUMP_IF_EQUAL, 1, 0, socket.AF_INET),
        (JUMP_IF_EQUAL, 0, 1, socket.AF_INET6),
        (RETURN, 0, 0, SECCOMP_RET_ERRNO | errno.EACCES),
        (RETURN, 0, 0, SECCOMP_RET_ALLOW),
    ]
    code = b"".join(struct.pack("HBBI", *instruction) for instruction in program)
    libc = ctypes.CDLL(None, use_errno=True)
    prog = _Filter(len(program), code)
    if (
        libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
        or libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0
    ):
        refused = errno.errorcode.get(ctypes.get_errno(), "unknown error")
        raise StoreError(f"cannot switch the network off for query workers: {refused}")
