package main

// The shim: two goroutines between the gRPC clients and the C engine.
//
//	shim.requests  takes each client request from `requests`
//	shim.main      drains `notifications` (the go channel buffer) into the clients' streams
//
// The designs differ in one place, requestsGoroutine: in the incident's design
// ("single") shim.requests hands each request to shim.main over `handoff`, so shim.main
// also calls the engine and, while it waits for the reply, drains nothing. In the fix
// ("split") shim.requests calls the engine itself, and `handoff` is nil: a nil channel's
// case in a select is never ready, so shim.main only ever drains.

import (
	"fmt"
	"log"
	"os"
	"runtime"
	"sync"
	"time"

	pb "deadlock-in-the-wild/shim/shimv1"
)

type Shim struct {
	split           bool
	cBufferCapacity int
	timeout         time.Duration
	requests        chan *pb.Request // client -> shim.requests (gRPC's handlers send)
	handoff         chan *pb.Request // shim.requests -> shim.main (single design; nil in split)
	replies         chan uint32      // engine -> the goroutine that called it
	notifications   chan *pb.Item    // engine -> shim.main: the go channel buffer
	streams         streams          // shim.main -> each open call's handler
	answers         answers          // request id -> closed once the engine replied
}

func newShim(split bool, channelCapacity, streamWindow int, timeout time.Duration) *Shim {
	s := &Shim{
		split:         split,
		timeout:       timeout,
		requests:      make(chan *pb.Request, 1),
		replies:       make(chan uint32, 1),
		notifications: make(chan *pb.Item, channelCapacity),
		streams:       streams{window: streamWindow, open: map[string]*call{}},
		answers:       answers{done: map[uint32]chan struct{}{}},
	}
	if !split {
		s.handoff = make(chan *pb.Request, 1)
	}
	return s
}

// shim.requests
func (s *Shim) requestsGoroutine() {
	for r := range s.requests {
		if s.split {
			s.callEngine("shim.requests", r) // the fix: wait for the engine here
		} else {
			s.handoff <- r // the incident: hand the work to shim.main
		}
	}
}

// shim.main
func (s *Shim) mainGoroutine() {
	for {
		select {
		case item := <-s.notifications:
			s.streams.forward(item)
		case r := <-s.handoff: // never ready in split: handoff is nil
			s.callEngine("shim.main", r) // ...and drains nothing while it waits here
		}
	}
}

// callEngine queues r in the C buffer, then waits for the engine's reply, with the timer.
func (s *Shim) callEngine(goroutine string, r *pb.Request) {
	enqueue(r)
	select {
	case id := <-s.replies:
		s.answers.reply(id)
	case <-time.After(s.timeout):
		log.Printf("%s queued request #%d %s in the C buffer and got no response in %g s: "+
			"unknown timeout, exiting", goroutine, r.Id, text(r), s.timeout.Seconds())
		os.Stderr.Write(allStacks()) // what the team read afterwards
		os.Exit(1)
	}
}

// text is a request as the story writes it: "get 32", "ping", "subscribe prices".
func text(r *pb.Request) string {
	switch r.Kind {
	case pb.RequestKind_REQUEST_KIND_GET:
		return fmt.Sprintf("get %d", r.Count)
	case pb.RequestKind_REQUEST_KIND_SUBSCRIBE:
		return "subscribe " + r.Topic
	case pb.RequestKind_REQUEST_KIND_CHANGES:
		return fmt.Sprintf("changes %s %d", r.Topic, r.Count)
	}
	return "ping"
}

// allStacks is every goroutine's stack, as a SIGQUIT dump with GOTRACEBACK=all shows them.
func allStacks() []byte {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

// answers: the handler of a ping waits for its request's reply here.
type answers struct {
	mu    sync.Mutex // guards done and count
	done  map[uint32]chan struct{}
	count int
}

func (a *answers) of(id uint32) chan struct{} {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.done[id] == nil {
		a.done[id] = make(chan struct{})
	}
	return a.done[id]
}

func (a *answers) reply(id uint32) {
	done := a.of(id)
	a.mu.Lock()
	a.count++
	a.mu.Unlock()
	close(done)
}

func (a *answers) answered() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.count
}
