"""The shim's wire refuses what is not the run's own: calls without the secret, pickles,
malformed messages and page records; and a bad temporary folder is a sentence.

tests/test_wild_isolation.py tries the same as another Unix user; here the calls come
from this process, which can reach the socket, so what stops them is the secret and the
schema."""
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import grpc
import pytest

from lessons import Scenario, run
from lessons.primitives.pipechan import PipeChan, Waiter
from lessons.primitives.pipes import RECORD, encode, open_pipe
from lessons.story.processes import messages
from lessons.story.processes.grpc_wire import PING, REFUSED, SECRET_KEY, STREAM
from lessons.story.processes.messages import RECORDS
from lessons.story.processes.wire import shim_pb2 as pb
from lessons.story.requests import MAX_ITEMS, Request
from lessons.tools.live import live_run
from tests.paths import REPO
from tests.wild_census import nothing_left  # noqa: F401 (a fixture)
from tests.wild_wire import MakesADirectory, delivered

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="Linux only")
WIRE = REPO / "lessons/story/processes/wire"


def test_the_generated_code_is_what_grpcio_tools_makes_of_the_proto(tmp_path):
    relative = WIRE.relative_to(REPO)
    (tmp_path / relative).mkdir(parents=True)
    shutil.copy(WIRE / "shim.proto", tmp_path / relative)
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"-I{tmp_path}",
                    f"--python_out={tmp_path}", f"--grpc_python_out={tmp_path}",
                    str(relative / "shim.proto")], check=True, cwd=tmp_path)
    for name in ("shim_pb2.py", "shim_pb2_grpc.py"):
        assert (tmp_path / relative / name).read_text() == (WIRE / name).read_text(), name


def message(kind, **fields):
    return pb.Request(kind=kind, **{"id": 1, **fields})


@pytest.mark.parametrize("bad, sentence", [
    (message(pb.REQUEST_KIND_UNSPECIFIED), "kind must be one of get, ping, subscribe, changes"),
    (message(99), "got kind number 99"),
    (message(pb.REQUEST_KIND_GET, count=0), f"get: the count must be from 1 to {MAX_ITEMS}, got 0"),
    (message(pb.REQUEST_KIND_GET, count=MAX_ITEMS + 1), "the count must be from 1"),
    (message(pb.REQUEST_KIND_GET, count=3, topic="x"), "get carries no topic"),
    (message(pb.REQUEST_KIND_PING, count=3), "ping carries no count, got 3"),
    (message(pb.REQUEST_KIND_SUBSCRIBE, topic="x" * 65), "the topic must be 1 to 64"),
    (message(pb.REQUEST_KIND_SUBSCRIBE, topic="two words"), "without spaces"),
    (message(pb.REQUEST_KIND_PING, id=0), "id must be from 1"),
    (message(pb.REQUEST_KIND_PING, at=-1.0), "at must be from 0 to 86400 seconds"),
    (message(pb.REQUEST_KIND_PING, at=float("nan")), "at must be from 0"),
])
def test_a_request_out_of_the_knobs_ranges_is_refused_with_a_sentence(bad, sentence):
    with pytest.raises(ValueError, match=sentence):
        messages.request_from_wire(bad)


def test_requests_and_items_cross_unchanged():
    for request in (Request(3, "get", None, 32, 0.5), Request(4, "subscribe", "prices", None, None),
                    Request(5, "changes", "prices", 8, None), Request(6, "ping", None, None, 2.0)):
        assert messages.request_from_wire(messages.request_to_wire(request)) == request
        assert RECORDS.unpack(RECORDS.pack(request)) == request


def test_a_topic_too_long_for_the_wire_is_refused_at_the_knob():
    with pytest.raises(ValueError, match="requests: in 'subscribe x{65}', the topic must be"):
        Scenario(requests=["subscribe " + "x" * 65])


@pytest.fixture
def pipe():
    """(channel that reads with the story's codec, write fd)."""
    rfd, wfd = open_pipe("c_buffer", 2)
    yield PipeChan(Waiter(), "c_buffer", 2, rfd=rfd, codec=RECORDS), wfd
    os.close(rfd), os.close(wfd)


@pytest.mark.parametrize("body, sentence", [
    (b"\xff\xff\xff", "3 bytes that are not a Record message"),
    (pb.Record().SerializeToString(), "a record that holds neither a request nor an item"),
    (pb.Record(item=pb.Item(request=1, kind=pb.ITEM_KIND_DATA, index=5, total=4))
     .SerializeToString(), "an item's index must be from 1 to its total"),
    (pb.Record(request=message(pb.REQUEST_KIND_GET, count=3)).SerializeToString() + b"\x78\x01",
     "fields shim.proto does not name"),
])
def test_a_malformed_page_record_is_refused_with_a_sentence(pipe, body, sentence):
    chan, wfd = pipe
    os.write(wfd, encode("c_buffer", body))
    refused = "c_buffer: a malformed record arrived and was refused: "
    with pytest.raises(ValueError, match=f"{refused}.*{sentence}"):
        chan.recv()


def test_a_pickle_in_a_page_record_is_refused_and_runs_nothing(pipe, tmp_path):
    chan, wfd = pipe
    marker = tmp_path / "made-by-a-pickle"
    os.write(wfd, encode("c_buffer", pickle.dumps(MakesADirectory(str(marker)))))
    with pytest.raises(ValueError, match="c_buffer: a malformed record arrived and was refused"):
        chan.recv()
    too_long = (RECORD).to_bytes(4, "big") + bytes(RECORD - 4)
    os.write(wfd, too_long)
    with pytest.raises(ValueError, match="its length says 4096 bytes, a record holds at most"):
        chan.recv()
    assert not marker.exists()


def raw_call(path, method, payload, metadata=()):
    """One call with raw bytes as its request: (status code, details)."""
    with grpc.insecure_channel(f"unix:{path}") as channel:
        try:
            if method == STREAM:
                list(channel.unary_stream(method)(payload, metadata=metadata, timeout=30))
            else:
                channel.unary_unary(method)(payload, metadata=metadata, timeout=30)
        except grpc.RpcError as exc:
            return exc.code(), exc.details()
    return grpc.StatusCode.OK, ""


def get(n, count=3):
    return pb.Request(id=n, kind=pb.REQUEST_KIND_GET, count=count).SerializeToString()


def test_calls_without_the_secret_or_the_schema_are_refused_and_the_run_goes_on(tmp_path,
                                                                               nothing_left):
    live = live_run(Scenario(runtime="processes", design="split", client="fast", timeout=60))
    marker = str(tmp_path / "made-by-a-pickle")
    try:
        live.send("get 8")
        assert live.wait_for("COMPLETED") == "COMPLETED"
        path, secret = live.run.wire.path, live.run.wire.secret
        ours = ((SECRET_KEY, secret),)
        assert raw_call(path, STREAM, get(90)) == (
            grpc.StatusCode.UNAUTHENTICATED, f"a call to {STREAM} without the run's secret")
        assert raw_call(path, PING, get(91), ((SECRET_KEY, "guess"),)) == (
            grpc.StatusCode.UNAUTHENTICATED, f"a call to {PING} with a wrong secret")
        pickled = pickle.dumps(MakesADirectory(marker))
        assert raw_call(path, PING, pickled)[0] == grpc.StatusCode.UNAUTHENTICATED
        code, details = raw_call(path, PING, pickled, ours)   # even with the secret
        assert (code, details) == (grpc.StatusCode.INVALID_ARGUMENT,
                                   f"{len(pickled)} bytes that are not a Request message of "
                                   f"the shim's wire (shim.proto)")
        assert raw_call(path, STREAM, get(1), ours) == (      # the learner's get 8 was #1
            grpc.StatusCode.INVALID_ARGUMENT, "request id 1 was already used in this run")
        assert raw_call(path, PING, get(92), ours) == (
            grpc.StatusCode.INVALID_ARGUMENT, f"{PING} carries ping and changes, not get")
        live.send("get 5")
        assert delivered(live, 13).outcome == "completed"
        refused = live.run.result()["evidence"].refused
        folder = Path(path).parent   # the run's: the learner's alone, and so is all in it
        assert folder.stat().st_mode & 0o777 == 0o700
        assert {f.name: f.stat().st_mode & 0o077 for f in folder.iterdir()} == {
            "shim.sock": 0, "engine.stacks": 0, "shim.stacks": 0}
    finally:
        live.stop()
    assert not os.path.exists(marker) and not folder.exists()
    assert [line.split(":")[1].strip() for line in refused] == [
        "refused a call (UNAUTHENTICATED)"] * 3 + ["refused a call (INVALID_ARGUMENT)"] * 3
    assert refused[0] == f"{REFUSED} (UNAUTHENTICATED): a call to {STREAM} without the run's secret"


@pytest.fixture
def unwritable():
    """A folder this process cannot make anything in, with a short path: under a deep one
    (pytest's own, for a user with a long name) the run's folder goes to /tmp instead
    (private.py), and the test would prove nothing."""
    if os.geteuid() == 0:
        yield "/sys/kernel"   # sysfs: not even root makes a folder there
        return
    locked = tempfile.mkdtemp(prefix="locked-", dir="/tmp")
    os.chmod(locked, 0o500)
    try:
        yield locked
    finally:
        os.rmdir(locked)


def test_a_temporary_folder_without_write_access_is_a_sentence(unwritable, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", unwritable)
    with pytest.raises(ValueError, match=r"^TMPDIR: the processes runtime needs a private folder "
                                         r"for each run .* cannot make one in .*; set TMPDIR to"):
        run(Scenario(runtime="processes", design="split", client="fast"))


def test_a_temporary_folder_too_deep_for_a_socket_path_still_gives_a_private_run(tmp_path,
                                                                                 monkeypatch):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    live = live_run(Scenario(runtime="processes", design="split", client="fast"))
    try:
        live.send("get 4")
        assert live.wait_for("COMPLETED") == "COMPLETED"
        folder = Path(live.run.wire.path).parent
        assert folder.parent == Path("/tmp") and folder.stat().st_mode & 0o777 == 0o700
    finally:
        live.stop()
    assert not folder.exists()   # removed at the end
