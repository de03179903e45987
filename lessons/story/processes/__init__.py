"""The story run as real OS processes (runtime `processes`, Linux).

    run.py             launch engine and shim, run the client here, watch, report
    child.py           how the engine's and the shim's processes start
    engine_process.py  the engine: one process, one thread
    shim_process.py    the shim: a gRPC server and its two goroutines as named threads
    client_side.py     the client's two actors over a real gRPC client
    grpc_wire.py       the gRPC service without generated code, with small windows
"""
