/*
 * The client/shim/engine system of lessons/, written in Promela for SPIN, so that
 * `explore`'s verdicts and speed can be compared with a model checker's
 * (benchmarks/explore_vs_spin.py; tests/test_spin_agreement.py checks the verdicts).
 *
 *   spin -DSPLIT=1 -DC=4 -DN=32 -DW=2 -DR=3 -DCB=4 -a system.pml
 *   cc -O2 -DSAFETY -o pan pan.c && ./pan -m100000
 *
 * Knobs (C preprocessor macros, so one file serves every configuration):
 *   SPLIT  0: the incident's single design (shim.main calls the engine); 1: the split fix
 *   C      notifications capacity (the go channel buffer; channel_capacity)
 *   N      items the first request asks for ("get N")
 *   W      stream window (the gRPC flow-control window; stream_window)
 *   R      requests the client sends: get N, then R-1 pings
 *   CB     c_buffer capacity (the C buffer; c_buffer_capacity)
 * The client is the fast one: it reads every item as soon as it arrives.
 *
 * One proctype per actor of lessons/system.py, doing what the Python actor does, one
 * channel operation per statement, so that the schedules the two explore are the same
 * ones: every interleaving of the actors' channel operations, and, in shim.main's
 * select, either ready case (Go picks at random; SPIN tries both). The Python sim makes
 * an actor's local work between two waits one move; here it is a few local statements,
 * which SPIN's partial-order reduction folds away, so state counts differ, verdicts not.
 *
 * What is abstracted, and why the verdict survives it:
 *  - Items. No actor's control flow looks at an item: shim.main forwards whatever
 *    notifications gives it, the client drops whatever the stream gives it. The system
 *    is data independent in the items (Wolper, 1986): whether a deadlock is reachable does
 *    not depend on their values, so every item is the same bit here.
 *  - Requests carry only what steers the engine: how many items its answer has (N for a
 *    get, 0 for a ping). A reply carries nothing: the caller only waits for it.
 *  - The shim's timer. A wait with a timeout still counts as waiting (DESIGN.md): the
 *    timer turns a deadlock into an exit, it does not end it. In the sim it fires only
 *    when nothing else can move, which with a fast client happens only once a deadlock
 *    has formed; so the wait on `replies` is a plain receive here.
 *
 * What a verdict means: a deadlock is an invalid end state (checked with -DSAFETY): a
 * state where nothing can move and some actor is not at an `end` label. Every actor's
 * `end` label sits where it waits for more work (the engine on c_buffer, the shim on
 * requests and notifications, the client on stream), so a run that served every request
 * ends validly; the client's sender simply terminates. `explore` reports a deadlock as
 * soon as the shim and engine wait on each other (a partial deadlock); since every actor
 * here does finite work, such a state always leads to one where nothing moves, with the
 * same actors stuck away from their end labels, so both find the same configurations
 * deadlocking. With a fast client nothing waits on the outside, so there is no stall.
 */
#ifndef SPLIT
#define SPLIT 1
#endif
#ifndef C
#define C 4
#endif
#ifndef N
#define N 32
#endif
#ifndef W
#define W 2
#endif
#ifndef R
#define R 3
#endif
#ifndef CB
#define CB 4
#endif

#ifndef EXCLUSIVE
#define EXCLUSIVE 1
#endif

/* Every channel has one sender and one receiver. Declaring them (xs, xr) lets SPIN's
 * partial-order reduction treat each send and receive as independent of the other
 * actors' moves; -DEXCLUSIVE=0 leaves the declarations out, to see what they save. */
#if EXCLUSIVE
#define SENDS(c)    xs c;
#define RECEIVES(c) xr c;
#else
#define SENDS(c)
#define RECEIVES(c)
#endif

#define ITEM 1    /* every item, by data independence */
#define PING 0    /* a ping's answer has no items */

chan requests = [1] of { byte };        /* client.send -> shim.requests (REQUESTS_CAPACITY) */
#if !SPLIT
chan handoff = [1] of { byte };         /* shim.requests -> shim.main (single design only) */
#endif
chan c_buffer = [CB] of { byte };       /* the engine's caller -> engine */
chan replies = [1] of { bit };          /* engine -> the engine's caller (REPLIES_CAPACITY) */
chan notifications = [C] of { bit };    /* engine -> shim.main */
chan stream = [W] of { bit };           /* shim.main -> client.recv */

active proctype client_send() {
    SENDS(requests)
    byte sent = 1;
    requests!N;
    do
    :: sent < R -> requests!PING; sent++
    :: else -> break
    od
}

active proctype client_recv() {
    RECEIVES(stream)
end:
    do
    :: stream?_
    od
}

active proctype shim_requests() {
    byte request;
    RECEIVES(requests)
#if SPLIT
    SENDS(c_buffer)
    RECEIVES(replies)
end:
    do
    :: requests?request -> c_buffer!request; replies?_    /* calls the engine itself */
    od
#else
    SENDS(handoff)
end:
    do
    :: requests?request -> handoff!request                /* hands the work to main... */
    od
#endif
}

active proctype shim_main() {
    RECEIVES(notifications)
    SENDS(stream)
#if SPLIT
end:
    do
    :: notifications?_ -> stream!ITEM                     /* main only ever drains */
    od
#else
    byte request;
    RECEIVES(handoff)
    SENDS(c_buffer)
    RECEIVES(replies)
end:
    do      /* Go's select: when both cases are ready, either may be taken */
    :: notifications?_ -> stream!ITEM
    :: handoff?request -> c_buffer!request; replies?_     /* ...which waits here */
    od
#endif
}

active proctype engine() {
    byte left;    /* items of the current answer still to write */
    RECEIVES(c_buffer)
    SENDS(replies)
    SENDS(notifications)
end:
    do
    :: c_buffer?left ->
        replies!1;                                        /* "I have your request" */
        do
        :: left > 0 -> notifications!ITEM; left--         /* blocks while it is full */
        :: else -> break
        od
    od
}
