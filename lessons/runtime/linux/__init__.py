"""What the processes runtime (../processes.py) needs from Linux.

    board.py        each actor's state and pending cases, and the pipes behind each channel,
                    in memory the run's processes share
    watch.py        the verdict: the board, checked against the kernel, look after look
    kernel.py       what /proc says each thread is doing, and who holds each pipe end
    gauges.py       each channel's real depth while the run goes on (the control room)
    evidence.py     what was seen at the verdict: kernel view, pipes, stacks; as text too
    records.py      the evidence as typed records, which read as dicts and give its JSON
    stacks_dump.py  a live process's thread stacks: py-spy, or faulthandler where it cannot attach
    prctl.py        thread names the kernel shows, and children that die with their parent
    reaper.py       the run's children, ending them, and counting what is left behind

The pipes themselves are primitives (../../primitives/pipes.py, pipechan.py); the story's
processes are in ../../story/processes/. Linux only: every file here reads /proc or
calls Linux-only system calls.
"""
