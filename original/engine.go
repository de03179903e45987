package main

// The bridge to the C engine (engine.c). The shim calls into C to queue a request in
// the C buffer; the engine's own C thread calls back into Go to reply and to write each
// answer item into `notifications`. A callback that finds `notifications` full blocks
// right there, and with it the engine's only thread: the incident's half of the cycle.

/*
#include <stdlib.h>
#include "engine.h"
*/
import "C"

import (
	"fmt"
	"unsafe"

	pb "deadlock-in-the-wild/shim/shimv1"
)

var kinds = map[pb.RequestKind]C.int{
	pb.RequestKind_REQUEST_KIND_GET: C.KIND_GET, pb.RequestKind_REQUEST_KIND_PING: C.KIND_PING,
	pb.RequestKind_REQUEST_KIND_SUBSCRIBE: C.KIND_SUBSCRIBE, pb.RequestKind_REQUEST_KIND_CHANGES: C.KIND_CHANGES,
}

const topicMax = C.TOPIC_MAX // a topic is at most this long, with its NUL

// The shim the engine's callbacks deliver to (one per process).
var shim *Shim

func startEngine(s *Shim, cBufferCapacity int) error {
	shim = s
	s.cBufferCapacity = cBufferCapacity
	if err := C.engine_start(C.int(cBufferCapacity)); err != 0 {
		return fmt.Errorf("the engine did not start: errno %d", int(err))
	}
	return nil
}

// enqueue queues r in the C buffer: a cgo call that blocks in C while the buffer is full.
func enqueue(r *pb.Request) {
	arg := C.CString(r.Topic)
	defer C.free(unsafe.Pointer(arg))
	C.engine_enqueue(C.int(r.Id), kinds[r.Kind], arg, C.int(r.Count))
}

func cBufferDepth() int {
	return int(C.engine_c_buffer_depth())
}

//export goReply
func goReply(id C.int) {
	shim.replies <- uint32(id) // "I have your request"
}

//export goNotify
func goNotify(request, kind C.int, topic *C.char, index, total C.int) {
	item := &pb.Item{Request: uint32(request), Index: uint32(index), Total: uint32(total)}
	if kind == C.ITEM_DATA {
		item.Kind = pb.ItemKind_ITEM_KIND_DATA
	} else {
		item.Kind, item.Topic = pb.ItemKind_ITEM_KIND_CHANGE, C.GoString(topic)
	}
	shim.notifications <- item // blocks while the go channel buffer is full
}

func dieWithParent(parent int) error {
	if C.die_with_parent(C.int(parent)) != 0 {
		return fmt.Errorf("the process that started the shim (pid %d) has gone", parent)
	}
	return nil
}
