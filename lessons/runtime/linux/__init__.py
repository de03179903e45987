"""The building blocks of the processes runtime: the story run as real OS processes.

    pipes.py     pipes that hold exactly `capacity` page-sized records
    pipechan.py  a channel over a pipe, with send/recv/select by read/write/poll
    kernel.py    what /proc says each thread is doing, and who holds each pipe end
    prctl.py     thread names the kernel shows, and children that die with their parent
    stacks_dump.py  a live process's thread stacks: py-spy, or faulthandler where it cannot attach
    grpc_wire.py a gRPC server and client without generated code, with small HTTP/2 windows
    reaper.py    the run's children, ending them, and counting what is left behind

Linux only: every file here reads /proc or calls Linux-only system calls.
"""
