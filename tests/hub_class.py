"""A class on a real JupyterHub, for tests/test_hub.py and benchmarks/class_on_hub.py.

    with Class(8) as room:             # 8 Unix users, a hub on 127.0.0.1 (hub/'s config)
        room.start_servers()           # through the Hub's REST API, all at once
        room.start_kernels()           # one kernel each, through the proxy
        outputs = room.at_once(lambda learner: learner.kernel.execute(code))

Everything is started by this process and ended by it: the servers (stopped through the
API), the hub and its proxy, the users and their homes. Ports are the OS's choice (port
0, or a port the OS handed out a moment before); nothing here sleeps to synchronize, it
waits on conditions with generous deadlines. The learners' servers run from the shared
environment hub/setup.sh builds (HUB_ENV), as a teacher's do.
"""
import hashlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from hub.proxy import MISSING, find_proxy
from tests.paths import REPO

HUB_ENV = Path(os.environ.get("DEADLOCK_HUB_ENV") or
               f"/var/tmp/deadlock-in-the-wild-hub-{hashlib.sha256(str(REPO).encode()).hexdigest()[:8]}")
HUB_UP_SECONDS = 120.0
SERVER_SECONDS = 600.0      # 40 learners' servers on 2 cores took 67-69 s each (median)
KERNEL_SECONDS = 300.0
STOP_SECONDS = 120.0


def missing_prerequisite():
    """Why a class cannot be started here, in one line, or None."""
    if not sys.platform.startswith("linux"):
        return f"a class on a hub needs Linux (one Unix user per learner); this is {sys.platform}"
    if os.geteuid() != 0:
        return "a class on a hub needs root: it creates one Unix user per learner (CI runs as root)"
    if find_proxy() is None:
        return MISSING
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "jupyterhub is not installed: pip install -e '.[test]' (make setup)"
    return None


def ensure_shared_environment():
    """The learners' environment, built or brought up to date by hub/setup.sh."""
    built = subprocess.run([str(REPO / "hub" / "setup.sh"), str(HUB_ENV)],
                           capture_output=True, text=True)
    if built.returncode != 0:
        raise RuntimeError(f"hub/setup.sh failed:\n{built.stdout[-3000:]}{built.stderr[-3000:]}")


def os_port():
    """A port the OS picks as free (the hub's own three ports)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Learner:
    """One learner: a Unix user made for the class, with a home in /home."""
    name: str
    kernel: "Kernel" = None
    account: pwd.struct_passwd = field(init=False)

    def __post_init__(self):
        subprocess.run(["useradd", "--create-home", "--user-group", "--shell", "/usr/sbin/nologin",
                        self.name], check=True, capture_output=True)
        self.account = pwd.getpwnam(self.name)

    @property
    def uid(self):
        return self.account.pw_uid

    def write(self, relative, text):
        """A file in this learner's home, and its folder, theirs as if they had written it."""
        path = Path(self.account.pw_dir) / relative
        path.parent.mkdir(exist_ok=True)
        os.chown(path.parent, self.uid, self.account.pw_gid)
        path.write_text(text)
        os.chown(path, self.uid, self.account.pw_gid)
        return path

    def remove(self):
        subprocess.run(["userdel", "--remove", self.name], capture_output=True)


class Hub:
    """A JupyterHub process with hub/jupyterhub_config.py, on 127.0.0.1, and its API."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.token = secrets.token_hex(32)
        self.port, self.proc, self.log = None, None, None

    def write_config(self):
        """hub/'s configuration, then what belongs to this run: ports, state, a service
        token with the scopes a teacher's admin token has."""
        ports = {"port": os_port(), "api": os_port(), "hub": os_port()}
        self.port = ports["port"]
        path = self.workdir / "jupyterhub_config.py"
        path.write_text(f"""
load_subconfig({str(REPO / 'hub' / 'jupyterhub_config.py')!r})
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {ports['port']}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{ports['api']}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {ports['hub']}
c.JupyterHub.db_url = "sqlite:///{self.workdir}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{self.workdir}/cookie_secret"
c.JupyterHub.pid_file = "{self.workdir}/jupyterhub.pid"
c.JupyterHub.services = [{{"name": "class", "api_token": {self.token!r}}}]
c.JupyterHub.load_roles = [{{"name": "class", "services": ["class"], "scopes": [
    "admin:users", "admin:servers", "access:servers", "list:users", "read:users"]}}]
""")
        return path

    def start(self):
        config = self.write_config()
        self.log = open(self.workdir / "jupyterhub.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=self.workdir,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "DEADLOCK_HUB_ENV": str(HUB_ENV)})
        deadline = time.monotonic() + HUB_UP_SECONDS
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub ended at start: {self.log_tail()}")
            try:
                self.api("GET", "/hub/api/")
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the hub did not answer in {HUB_UP_SECONDS:g} s: "
                                       f"{self.log_tail()}")
            time.sleep(0.2)

    def log_tail(self):
        return (self.workdir / "jupyterhub.log").read_text(errors="replace")[-4000:]

    def api(self, method, path, body=None, timeout=60):
        """A request to the hub or, through the proxy, to a learner's server: its JSON."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read()
        return json.loads(text) if text else None

    def stop(self):
        """SIGTERM: the hub stops the servers it still has, then its proxy, and ends."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


class Kernel:
    """A kernel in a learner's server, driven over the server's REST API and websocket,
    through the hub's proxy, as JupyterLab drives it."""

    def __init__(self, hub, learner):
        import websocket
        self.hub, self.learner = hub, learner
        self.id = hub.api("POST", f"/user/{learner.name}/api/kernels", {"name": "python3"},
                          timeout=KERNEL_SECONDS)["id"]
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{hub.port}/user/{learner.name}/api/kernels/{self.id}/channels"
            f"?session_id={self.session}", header=[f"Authorization: token {hub.token}"],
            timeout=KERNEL_SECONDS)

    def execute(self, code, seconds=KERNEL_SECONDS):
        """Run `code`; (its stdout, seconds from the request to the kernel's reply).
        An error in the kernel raises RuntimeError with the learner's name."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": self.session,
                       "username": self.learner.name, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        started = time.perf_counter()
        deadline, out, error, replied, idle = time.monotonic() + seconds, [], None, None, False
        while replied is None or not idle:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            message = json.loads(self.ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind == "error":
                error = f"{content['ename']}: {content['evalue']}"
            elif kind == "execute_reply":
                replied = time.perf_counter() - started
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
        if error:
            raise RuntimeError(f"{self.learner.name}'s kernel: {error}\n{''.join(out)[-2000:]}")
        return "".join(out), replied

    def result(self, code, seconds=KERNEL_SECONDS):
        """The JSON that `code` prints last, and the seconds it took."""
        out, took = self.execute(code, seconds)
        return json.loads(out.strip().splitlines()[-1]), took

    def close(self):
        self.ws.close()


class Class:
    """N learners on one hub: users made, hub started; everything undone on exit."""

    def __init__(self, size, prefix=None):
        self.prefix = prefix or f"dl{secrets.token_hex(3)}"
        self.size = size
        self.learners, self.hub, self.workdir = [], None, None
        self.owned_before = set()
        self.timings = {}

    def __enter__(self):
        try:
            ensure_shared_environment()
            self.workdir = Path(tempfile.mkdtemp(prefix="class-on-hub-"))
            for i in range(self.size):
                self.learners.append(Learner(f"{self.prefix}l{i:02d}"))
            # What the new learners' uids own already is not this class's: a uid is given
            # again once its user is removed, and a run stopped before its clean-up (an
            # earlier suite interrupted) can leave files of its own learners in /tmp.
            self.owned_before = set(files_of({learner.uid for learner in self.learners}))
            self.hub = Hub(self.workdir)
            self.hub.start()
            self.hub.api("POST", "/hub/api/users", {"usernames": [learner.name for learner in self.learners]})
        except BaseException:
            self.__exit__()
            raise
        return self

    def at_once(self, task):
        """task(learner) for every learner at the same moment; their results in order."""
        with ThreadPoolExecutor(len(self.learners)) as pool:
            return list(pool.map(task, self.learners))

    def start_servers(self):
        """Every learner's server, asked for at once; seconds from asking to ready, each."""
        def start(learner):
            started = time.perf_counter()
            self.hub.api("POST", f"/hub/api/users/{learner.name}/server", timeout=SERVER_SECONDS)
            self.wait_for_server(learner, ready=True)
            return time.perf_counter() - started
        self.timings["server_start_s"] = self.at_once(start)

    def wait_for_server(self, learner, ready):
        deadline = time.monotonic() + (SERVER_SECONDS if ready else STOP_SECONDS)
        while True:
            model = self.hub.api("GET", f"/hub/api/users/{learner.name}")
            server = model["servers"].get("")
            if (server is not None and server["ready"]) if ready else server is None:
                return
            if ready and server is None and not model.get("pending"):
                raise RuntimeError(f"{learner.name}'s server failed to start: {self.hub.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{learner.name}'s server is not {'up' if ready else 'down'} "
                                   f"after the deadline: {self.hub.log_tail()}")
            time.sleep(0.2)

    def start_kernels(self):
        def start(learner):
            started = time.perf_counter()
            learner.kernel = Kernel(self.hub, learner)
            return time.perf_counter() - started
        self.timings["kernel_start_s"] = self.at_once(start)

    def stop_servers(self):
        """Every server stopped through the API (its kernels and their runs end with it)."""
        def stop(learner):
            if learner.kernel is not None:
                learner.kernel.close()
                learner.kernel = None
            try:
                self.hub.api("DELETE", f"/hub/api/users/{learner.name}/server", timeout=STOP_SECONDS)
            except urllib.error.HTTPError as error:
                if error.code != 400:      # 400: no server running
                    raise
            self.wait_for_server(learner, ready=False)
        self.at_once(stop)

    def __exit__(self, *exc):
        try:
            if self.hub is not None and self.hub.proc is not None and self.hub.proc.poll() is None:
                self.stop_servers()
        finally:
            if self.hub is not None:
                self.hub.stop()
            for learner in self.learners:
                end_processes(learner.uid)
                learner.remove()
            if self.workdir is not None:
                shutil.rmtree(self.workdir, ignore_errors=True)


def processes_of(uid):
    """pids whose real uid is `uid`."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if any(line.split()[1] == str(uid) for line in text.splitlines() if line.startswith("Uid:")):
            found.append(int(status.parent.name))
    return found


def end_processes(uid):
    """Last resort before a user is removed: nothing of theirs may outlive the class."""
    for pid in processes_of(uid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def leftovers(uids, wait_seconds=STOP_SECONDS):
    """What the learners `uids` still own once their servers are stopped: processes (given
    `wait_seconds` to end), sockets (/proc/net), and files outside their homes."""
    deadline = time.monotonic() + wait_seconds
    while (left := {uid: processes_of(uid) for uid in uids if processes_of(uid)}) and \
            time.monotonic() < deadline:
        time.sleep(0.2)
    sockets = []
    for table in ("tcp", "tcp6", "udp", "udp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[7]) in uids:
                sockets.append(f"{table} {fields[1]} uid {fields[7]}")
    return {"processes": left, "sockets": sockets, "files": files_of(uids)}


def files_of(uids):
    """The files the users `uids` own in the machine's shared temporary folders."""
    owned = [arg for uid in uids for arg in ("-uid", str(uid), "-o")][:-1]
    return subprocess.run(["find", "/tmp", "/var/tmp", "/dev/shm", "/run", "-xdev", "(", *owned,
                           ")", "-print"], capture_output=True, text=True).stdout.splitlines()


# The stories every learner runs: notebook 04's on threads, notebook 10's on processes
# (the single design, a slow client, a big get then a ping: a deadlock, then the timer).
STORY_TIMERS = {"threads": 0.5, "processes": 3}
CYCLE = {("shim.main", "engine", "replies"), ("engine", "shim.main", "notifications")}


def story(runtime, timer=None):
    """The code a learner's cell runs: the story, then its verdict as one JSON line."""
    return f"""
import json
from lessons import Scenario, run
result = run(Scenario(design="single", client="slow", runtime={runtime!r},
                      timeout={timer or STORY_TIMERS[runtime]!r})).to_dict()
print(json.dumps({{key: result[key] for key in ("outcome", "cycle", "exit")}}))
"""


def right_verdict(result):
    """A deadlock, on the story's cycle, and the shim exited on its timer."""
    cycle = {(edge["actor"], edge["waits_for"], edge["chan"]) for edge in result["cycle"]}
    return result["outcome"] == "deadlock" and cycle == CYCLE and result["exit"] is not None


def run_the_stories(learner):
    """runtime -> (verdict, seconds from the request to the reply), one after the other."""
    return {runtime: learner.kernel.result(story(runtime)) for runtime in STORY_TIMERS}
