# JupyterHub for a class on one machine: one Unix user per learner, each learner's server
# started as that user (LocalProcessSpawner) from one shared, read-only environment.
#
#   hub/setup.sh                                  (once, as root: the shared environment)
#   jupyterhub -f hub/jupyterhub_config.py        (as root, from hub/README.md's folder)
#
# The environment's folder is DEADLOCK_HUB_ENV (default /opt/deadlock-in-the-wild, where
# hub/setup.sh puts it). Two settings come from 40 learners tried on one 2-core
# machine with JupyterHub's defaults (issue 19): kernels on ipc transport, and servers'
# ports that no two learners share. Sizing: docs/instructor-guide.md, "Running it for a
# class".
import asyncio
import importlib.util
import os
import pwd
import sys

from jupyterhub import orm
from jupyterhub.spawner import LocalProcessSpawner
from jupyterhub.utils import random_port

c = get_config()  # noqa: F821 (JupyterHub provides it)

ENV = os.environ.get("DEADLOCK_HUB_ENV", "/opt/deadlock-in-the-wild")
EDITION = os.path.join(ENV, "course", "release", "deadlock-in-the-wild")
FOLDER = "deadlock-in-the-wild"   # the learner's copy of the edition, in their home
LEARNER_PATH = f"{ENV}/bin:/usr/local/bin:/usr/bin:/bin"   # the shared environment first
HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    """A module of this folder (hub/ is not a package: JupyterHub reads this file by path)."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


proxy = load("proxy")
if proxy.find_proxy() is None:
    sys.exit(f"jupyterhub_config.py: {proxy.MISSING}")
c.ConfigurableHTTPProxy.command = [proxy.find_proxy()]
if not sys.platform.startswith("linux"):
    print(f"jupyterhub_config.py: this hub runs on {sys.platform}, not Linux: learners' runs "
          f"with runtime='processes' (notebook 10) will say they need Linux; every other "
          f"notebook works", file=sys.stderr)


class ClassSpawner(LocalProcessSpawner):
    """LocalProcessSpawner that never hands one port to two learners' servers.

    JupyterHub picks a server's port by binding port 0 and letting it go; two learners
    who start at the same moment can be given the same one. Measured at 40 learners:
    one server failed to bind, and the hub sent that learner to the other's server."""

    handed_out = set()   # ports given to servers of this hub that are starting or running

    async def start(self):
        taken = {port for (port,) in self.user.db.query(orm.Server.port)} | self.handed_out
        port = random_port()
        while port in taken:
            port = random_port()
        self.port = port
        self.handed_out.add(port)
        return await super().start()

    async def stop(self, now=False):
        await super().stop(now=now)
        self.handed_out.discard(self.port)


FIRST_LOGIN = os.path.join(HERE, "first_login.py")


async def first_login(spawner):
    """Before each start, as the learner: the edition copied to their home unless it is
    there, and their temporary folder checked (first_login.py). A failure stops the start
    with one sentence, which the hub shows to the learner."""
    account = pwd.getpwnam(spawner.user.name)
    environment = {"HOME": account.pw_dir, "PATH": LEARNER_PATH,
                   **{k: v for k, v in spawner.environment.items() if k == "TMPDIR"}}
    with open(FIRST_LOGIN, "rb") as script:
        step = await asyncio.create_subprocess_exec(
            os.path.join(ENV, "bin", "python"), "-", EDITION, FOLDER, cwd=account.pw_dir,
            user=account.pw_uid, group=account.pw_gid, extra_groups=[], env=environment,
            stdin=script, stderr=asyncio.subprocess.PIPE)
        _, stderr = await step.communicate()
    if step.returncode != 0:
        lines = stderr.decode(errors="replace").strip().splitlines() or ["(no message)"]
        raise RuntimeError(f"{spawner.user.name}'s first step failed: {lines[-1]}")


c.JupyterHub.spawner_class = ClassSpawner
c.Spawner.pre_spawn_hook = first_login
c.Spawner.cmd = [os.path.join(ENV, "bin", "jupyterhub-singleuser")]
# Kernels talk to their server over Unix sockets in the learner's own runtime folder, not
# over five TCP ports each: with tcp, issue 19 lost 1 kernel in 20 at 20 learners to
# "Address already in use" races.
c.Spawner.args = ["--KernelManager.transport=ipc"]
c.Spawner.default_url = f"/lab/tree/{FOLDER}/00-the-incident.ipynb"
# The shared environment first; nothing from root's own PATH (pyenv, say) reaches learners.
c.Spawner.env_keep = ["LANG", "LC_ALL"]
c.Spawner.environment = {"PATH": LEARNER_PATH}
# At 20 learners starting at once on 2 busy cores, a server took 80-110 s to answer
# (median; benchmarks/class_on_hub.py): JupyterHub's default of 60 s gives up on them.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
