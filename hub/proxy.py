"""Where JupyterHub's proxy is: configurable-http-proxy on PATH, or the copy that
scripts/ensure-hub-proxy.sh installs into this checkout's .hub-tools/. Used by
jupyterhub_config.py, tests/hub_class.py and benchmarks/class_on_hub.py."""
import os
import shutil

NAME = "configurable-http-proxy"
LOCAL = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     ".hub-tools", "node_modules", ".bin", NAME)
MISSING = (f"{NAME}, JupyterHub's proxy, is not installed: `npm install -g {NAME}` as root "
           f"(Debian: `apt-get install nodejs npm` first), or scripts/ensure-hub-proxy.sh")


def find_proxy():
    """The proxy's command, or None when it is not installed."""
    return shutil.which(NAME) or (LOCAL if os.access(LOCAL, os.X_OK) else None)
