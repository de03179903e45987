package main

// The `stream` channel: per open call, what gRPC holds for the client and a Go channel
// in front of it. shim.main sends each item into its call's channel; that call's handler
// takes it out and hands it to gRPC (Send). With the course's client, gRPC holds one
// message on its way to the client, and Send blocks with the next (build.sh sets gRPC's
// own write quota to one byte). So the stream holds the channel's items, the handler's
// and gRPC's: a channel of stream_window - 2 makes it hold stream_window, as the model's
// does (2: an unbuffered channel). A client that does not read fills it all, and then
// shim.main blocks on its send.

import (
	"fmt"
	"sync"

	pb "deadlock-in-the-wild/shim/shimv1"
)

// held: the items of a stream outside its channel, one in the handler's Send and one
// in gRPC on its way to the client (measured: tests/test_original.py).
const held = 2

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
	c := &call{items: make(chan *pb.Item, s.window-held), gone: make(chan struct{})}
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

// depths: each open call's channel, [items waiting, capacity], for a look.
func (s *streams) depths() map[string][2]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	found := map[string][2]int{}
	for key, c := range s.open {
		found[key] = [2]int{len(c.items), cap(c.items)}
	}
	return found
}
