"""The story run as real OS processes (runtime `processes`, Linux).

    run.py             ProcessesRun: the client here, looked at until a verdict; run_in_processes
    launch.py          the board, the pipes, the engine's and the shim's processes
    child.py           how the engine's and the shim's processes start
    engine_process.py  the engine: one process, one thread
    shim_process.py    the shim: a gRPC server and its two goroutines as named threads
    client_side.py     the client's two actors over a real gRPC client (or the learner's clicks)
    grpc_wire.py       the gRPC service without generated code, with small windows
"""
