"""The story run as real OS processes (runtime `processes`, Linux).

    run.py             ProcessesRun: the client here, looked at until a verdict; run_in_processes
    launch.py          the board, the pipes, the engine's and the shim's processes
    child.py           how the engine's and the shim's processes start
    engine_process.py  the engine: one process, one thread
    shim_process.py    the shim: a gRPC server and its two goroutines as named threads
    client_side.py     the client's two actors over a real gRPC client (or the learner's clicks)
    grpc_wire.py       the gRPC service on the run's Unix socket: secret, checks, small windows
    messages.py        the story's requests and items as the wire's messages, checked on arrival
    wire/shim.proto    the one schema of what crosses between processes (and its generated code)
    private.py         the run's own directory, files, socket path and secret
    by_name.py         how the shim's process finds its design: by name
"""
