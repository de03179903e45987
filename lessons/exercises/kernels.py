"""Where a grading kernel listens: Unix sockets in its user's runtime folder, never TCP.

nbgrader (Validate, autograde: `course/nbgrader_config.py`) and the suite's notebook
runs start their kernels with these settings. Jupyter's default, TCP on 127.0.0.1, has
two faults on a class's shared machine:
- any local user can connect to a kernel's five channels (the messages are signed, but
  the ports are open to all), where a socket in the owner's runtime folder (mode 700)
  is not;
- the ports are chosen by binding port 0 and closing it, and the kernel binds them again
  a second later; a connection opened in between may take one, and the kernel dies with
  "Address already in use" (it failed a CI run of the suite once).

A JupyterLab server gets the same with `--KernelManager.transport=ipc` (the hub's
servers: `hub/jupyterhub_config.py`); it names each kernel's sockets itself.
"""
import os
import uuid

from jupyter_core.paths import jupyter_runtime_dir


def private_sockets() -> dict[str, str]:
    """A kernel manager's `transport` and `ip` for sockets only their user can open.

    Jupyter names the sockets `<ip>-1` to `<ip>-5`, taking the first numbers no file
    has yet; a kernel manager outside a server would use "kernel-ipc" in the working
    folder, shared by every kernel started there. So each call names its own prefix.
    Kernels started one after another may share one (their files go when they end)."""
    folder = jupyter_runtime_dir()
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return {"transport": "ipc", "ip": os.path.join(folder, f"kernel-{uuid.uuid4()}-ipc")}
