package main

// The `stream` channel: one buffered Go channel of `stream_window` items per open
// call. shim.main sends each item into its call's channel; that call's handler takes
// it out and hands it to gRPC, which sends it as fast as the client's flow-control
// window lets it. A client that does not read fills the window, then the channel, and
// then shim.main blocks on its send.

import (
	"fmt"
	"sync"

	pb "deadlock-in-the-wild/shim/shimv1"
)

type call struct {
	items chan *pb.Item
	gone  chan struct{} // closed when the handler has returned (the client went away)
}

type streams struct {
	window int
	mu     sync.Mutex // guards open: gRPC's handlers add and remove, shim.main looks up
	open   map[string]*call
}

// A get's items go to its own call; a change goes to the topic's subscription.
func requestKey(r *pb.Request) string {
	if r.Kind == pb.RequestKind_REQUEST_KIND_GET {
		return fmt.Sprintf("get %d", r.Id)
	}
	return "subscribe " + r.Topic
}

func itemKey(item *pb.Item) string {
	if item.Kind == pb.ItemKind_ITEM_KIND_DATA {
		return fmt.Sprintf("get %d", item.Request)
	}
	return "subscribe " + item.Topic
}

func (s *streams) start(r *pb.Request) *call {
	c := &call{items: make(chan *pb.Item, s.window), gone: make(chan struct{})}
	s.mu.Lock()
	s.open[requestKey(r)] = c
	s.mu.Unlock()
	return c
}

func (s *streams) finish(r *pb.Request, c *call) {
	s.mu.Lock()
	if s.open[requestKey(r)] == c {
		delete(s.open, requestKey(r))
	}
	s.mu.Unlock()
	close(c.gone)
}

// forward sends item to its call (shim.main's send on `stream`); blocks while the
// call's channel is full, and drops the item once the call has gone, as a Send would fail.
func (s *streams) forward(item *pb.Item) {
	s.mu.Lock()
	c := s.open[itemKey(item)]
	s.mu.Unlock()
	if c == nil {
		return
	}
	select {
	case c.items <- item:
	case <-c.gone:
	}
}

// depths: each open call's items waiting, for a look.
func (s *streams) depths() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	found := map[string]int{}
	for key, c := range s.open {
		found[key] = len(c.items)
	}
	return found
}
