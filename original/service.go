package main

// The shim's gRPC service (lessons/story/processes/wire/shim.proto, the processes
// runtime's wire): each handler queues its request on `requests` for shim.requests, then
//
//	Stream  (get N, subscribe TOPIC)  sends what shim.main forwards to this call
//	Ping    (ping, changes TOPIC K)   answers once the engine has replied
//
// Every call must carry the run's secret (metadata `run-secret`); a call without it is
// refused with UNAUTHENTICATED, and a request out of the wire's ranges with INVALID_ARGUMENT.

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log"
	"sync"
	"unicode"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	pb "deadlock-in-the-wild/shim/shimv1"
)

const maxItems = 10000 // the wire's ranges (lessons/story/requests.py)

var streamed = map[pb.RequestKind]bool{
	pb.RequestKind_REQUEST_KIND_GET: true, pb.RequestKind_REQUEST_KIND_SUBSCRIBE: true}

type service struct {
	pb.UnimplementedShimServer
	shim *Shim
	mu   sync.Mutex // guards used
	used map[uint32]bool
}

func (v *service) Stream(r *pb.Request, stream pb.Shim_StreamServer) error {
	if err := v.check(r, true); err != nil {
		return err
	}
	c := v.shim.streams.start(r)
	defer v.shim.streams.finish(r, c)
	v.shim.requests <- r
	if err := stream.SendHeader(metadata.MD{}); err != nil { // tells the client it is queued
		return err
	}
	get := r.Kind == pb.RequestKind_REQUEST_KIND_GET
	for sent := uint32(0); !get || sent < r.Count; sent++ {
		select {
		case item := <-c.items:
			if err := stream.Send(item); err != nil {
				return err
			}
		case <-stream.Context().Done():
			return stream.Context().Err()
		}
	}
	return nil
}

func (v *service) Ping(ctx context.Context, r *pb.Request) (*pb.Reply, error) {
	if err := v.check(r, false); err != nil {
		return nil, err
	}
	answered := v.shim.answers.of(r.Id)
	v.shim.requests <- r
	select {
	case <-answered:
		return &pb.Reply{Id: r.Id}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// check refuses a request this method does not carry, out of the wire's ranges, or
// with an id this run has seen.
func (v *service) check(r *pb.Request, stream bool) error {
	if err := valid(r, stream); err != nil {
		log.Printf("shim: refused a call (INVALID_ARGUMENT): %s", err)
		return status.Error(codes.InvalidArgument, err.Error())
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.used[r.Id] {
		return status.Errorf(codes.InvalidArgument, "request id %d was already used in this run", r.Id)
	}
	v.used[r.Id] = true
	return nil
}

func valid(r *pb.Request, stream bool) error {
	_, known := kinds[r.Kind]
	topical := r.Kind == pb.RequestKind_REQUEST_KIND_SUBSCRIBE || r.Kind == pb.RequestKind_REQUEST_KIND_CHANGES
	counted := r.Kind == pb.RequestKind_REQUEST_KIND_GET || r.Kind == pb.RequestKind_REQUEST_KIND_CHANGES
	switch {
	case !known || streamed[r.Kind] != stream:
		return fmt.Errorf("this method does not carry a request of kind %v", r.Kind)
	case r.Id < 1 || r.Id > 1<<31-1:
		return fmt.Errorf("a request's id must be from 1 to %d, got %d", 1<<31-1, r.Id)
	case counted != (r.Count != 0) || r.Count > maxItems:
		return fmt.Errorf("%s: the count must be from 1 to %d where the kind has one, else 0",
			text(r), maxItems)
	case topical != (r.Topic != "") || !topicOK(r.Topic):
		return fmt.Errorf("the topic must be 1 to %d printable characters without spaces, "+
			"where the kind has one", topicMax-1)
	}
	return nil
}

func topicOK(topic string) bool {
	if len(topic) >= topicMax {
		return false
	}
	for _, c := range topic {
		if !unicode.IsPrint(c) || unicode.IsSpace(c) {
			return false
		}
	}
	return true
}

// The run's secret, checked on every call before its request is read.
type secret struct {
	key, value string
}

func (s secret) check(ctx context.Context, method string) error {
	md, _ := metadata.FromIncomingContext(ctx)
	given := md.Get(s.key)
	if len(given) == 1 && subtle.ConstantTimeCompare([]byte(given[0]), []byte(s.value)) == 1 {
		return nil
	}
	log.Printf("shim: refused a call (UNAUTHENTICATED): a call to %s without the run's secret", method)
	return status.Error(codes.Unauthenticated, "this call does not carry the run's secret")
}

func (s secret) unary(ctx context.Context, req interface{}, info *grpc.UnaryServerInfo,
	handler grpc.UnaryHandler) (interface{}, error) {
	if err := s.check(ctx, info.FullMethod); err != nil {
		return nil, err
	}
	return handler(ctx, req)
}

func (s secret) stream(srv interface{}, ss grpc.ServerStream, info *grpc.StreamServerInfo,
	handler grpc.StreamHandler) error {
	if err := s.check(ss.Context(), info.FullMethod); err != nil {
		return err
	}
	return handler(srv, ss)
}

func newServer(s *Shim, sec secret) *grpc.Server {
	server := grpc.NewServer(grpc.UnaryInterceptor(sec.unary), grpc.StreamInterceptor(sec.stream),
		grpc.MaxRecvMsgSize(1024))
	pb.RegisterShimServer(server, &service{shim: s, used: map[uint32]bool{}})
	return server
}
