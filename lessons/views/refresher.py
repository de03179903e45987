"""The one thread that writes a live view's widgets while a run goes on.

    refresher = Refresher(read, paint, seconds=0.25, name="control-room refresher")
    refresher.start()      # every `seconds` (or at once after nudge()): read(), and
    refresher.nudge()      #   paint(view) if the view changed since the last paint
    refresher.stop()       # ends the thread; no paint after it returns

Worker threads never touch a widget; the kernel's thread paints only through
`paint_if_idle`, so two painters never interleave. `until`, if given, ends the loop by
itself once it says so, after one last paint (the final state).
"""
import threading

UNSEEN = object()


class Refresher:
    def __init__(self, read, paint, seconds, name, until=None):
        self.read, self.paint, self.seconds, self.name = read, paint, seconds, name
        self.until = until or (lambda: False)
        self.lock = threading.Lock()          # held while painting: one painter at a time
        self._thread = None
        self._wake = threading.Event()        # a click, or stop(), wakes the loop early
        self._stopping = False
        self.shown = UNSEEN
        self.wakes = self.paints = 0          # counts, for benchmarks/control_room_cpu.py

    def running(self):
        return self._thread is not None and self._thread.is_alive()

    def start(self):
        if not self.running():
            self._stopping = False
            self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
            self._thread.start()

    def nudge(self):
        self._wake.set()

    def stop(self):
        if self._thread is not None:
            self._stopping = True
            self._wake.set()
            self._thread.join()
            self._thread = None

    def join(self, seconds):
        if self._thread is not None:
            self._thread.join(seconds)

    def paint_if_idle(self, force=False):
        """Paint from the kernel's thread, unless the refresher is the painter now."""
        if not self.running():
            self._paint(self.read(), force)

    def forget(self):
        """The next paint repaints everything (new widgets were built)."""
        self.shown = UNSEEN

    def _paint(self, view, force=False):
        with self.lock:
            if force or view != self.shown:
                self.paint(view)
                self.paints += 1
                self.shown = view

    def _loop(self):
        while not self._stopping:
            finished = self.until()           # read before the view: the last paint is final
            self.wakes += 1
            self._paint(self.read())
            if finished:
                return
            self._wake.wait(self.seconds)
            self._wake.clear()
