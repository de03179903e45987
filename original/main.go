// Command shim is the incident's Go process: a gRPC server in front of a
// single-threaded C engine (engine.c, through cgo). See README.md beside it.
//
//	shim -socket DIR/shim.sock -secret-file DIR/secret -design single -timeout 1h
//
// It serves on a Unix socket only, and refuses every call that lacks the run's
// secret. On SIGUSR1 it writes a look (each channel's depth, then every goroutine's
// stack, as a SIGQUIT dump prints them) to -look, and goes on; on SIGQUIT the Go
// runtime prints its own dump and the process exits. When the timer of a call into
// the engine fires, it logs why and exits with status 1, as the incident's shim did.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	log.SetFlags(0)
	design := flag.String("design", "single", "single (the incident) or split (the fix)")
	channelCapacity := flag.Int("channel-capacity", 4, "size of notifications, the go channel buffer")
	cBufferCapacity := flag.Int("c-buffer-capacity", 4, "size of the C buffer, the engine's requests")
	streamWindow := flag.Int("stream-window", 2, "items a call's stream holds for its client (2 or more)")
	timeout := flag.Duration("timeout", time.Hour, "how long to wait for the engine's reply before exiting")
	socket := flag.String("socket", "", "the Unix socket to serve on (in a directory only its owner can enter)")
	secretFile := flag.String("secret-file", "", "the file that holds the run's secret (deleted once read); calls carry it as metadata run-secret")
	lookFile := flag.String("look", "", "where SIGUSR1 writes a look (none: SIGUSR1 is not handled)")
	parent := flag.Int("parent", 0, "exit when this process ends (0: do not watch)")
	flag.Parse()
	if err := run(*design, *channelCapacity, *cBufferCapacity, *streamWindow, *timeout,
		*socket, *secretFile, *lookFile, *parent); err != nil {
		fmt.Fprintln(os.Stderr, "shim:", err)
		os.Exit(2)
	}
}

func run(design string, channelCapacity, cBufferCapacity, streamWindow int, timeout time.Duration,
	socket, secretFile, lookFile string, parent int) error {
	if design != "single" && design != "split" {
		return fmt.Errorf("-design must be single or split, got %q", design)
	}
	for _, knob := range []struct {
		name      string
		value, lo int
	}{{"channel-capacity", channelCapacity, 1}, {"c-buffer-capacity", cBufferCapacity, 1},
		{"stream-window", streamWindow, held}} {
		if knob.value < knob.lo || knob.value > 1000 {
			return fmt.Errorf("-%s must be from %d to 1000, got %d", knob.name, knob.lo, knob.value)
		}
	}
	if parent != 0 {
		if err := dieWithParent(parent); err != nil {
			return err
		}
	}
	value, err := os.ReadFile(secretFile)
	if err != nil || len(bytes.TrimSpace(value)) == 0 {
		return fmt.Errorf("-secret-file must name a file that holds the run's secret (%v)", err)
	}
	os.Remove(secretFile) // read once: nobody else needs it
	s := newShim(design == "split", channelCapacity, streamWindow, timeout)
	if err := startEngine(s, cBufferCapacity); err != nil {
		return err
	}
	listener, err := net.Listen("unix", socket)
	if err != nil {
		return err
	}
	if lookFile != "" {
		wake := make(chan os.Signal, 1)
		signal.Notify(wake, syscall.SIGUSR1) // before the ready line: a SIGUSR1 must never kill it
		go looks(s, lookFile, wake)
	}
	fmt.Println("serving on", socket) // the caller waits for this line: calls connect from now on
	go s.requestsGoroutine()
	go s.mainGoroutine()
	server := newServer(s, secret{key: "run-secret", value: strings.TrimSpace(string(value))})
	return server.Serve(listener)
}

// looks writes a look on each SIGUSR1: the program goes on, unlike after a SIGQUIT.
func looks(s *Shim, path string, wake chan os.Signal) {
	for n := 1; ; n++ {
		<-wake
		var b bytes.Buffer
		fmt.Fprintf(&b, "look %d\n", n)
		for _, c := range s.depths() {
			fmt.Fprintf(&b, "channel %s %d %d\n", c.name, c.len, c.cap)
		}
		fmt.Fprintf(&b, "answered %d\n\n", s.answers.answered())
		b.Write(allStacks())
		if err := os.WriteFile(path+".new", b.Bytes(), 0o600); err == nil {
			os.Rename(path+".new", path) // a reader never sees half a look
		}
	}
}

type depth struct {
	name     string
	len, cap int
}

// depths of every channel now, in the story's order (one line per open call's stream).
func (s *Shim) depths() []depth {
	found := []depth{{"requests", len(s.requests), cap(s.requests)}}
	if s.handoff != nil {
		found = append(found, depth{"handoff", len(s.handoff), cap(s.handoff)})
	}
	found = append(found, depth{"c_buffer", cBufferDepth(), s.cBufferCapacity},
		depth{"replies", len(s.replies), cap(s.replies)},
		depth{"notifications", len(s.notifications), cap(s.notifications)})
	for key, c := range s.streams.depths() { // each open call's channel in front of gRPC
		found = append(found, depth{"stream/" + strings.ReplaceAll(key, " ", "/"), c[0], c[1]})
	}
	return found
}
