/*
 * The casebook's "both sides sending first" (lessons/cases/both_send_first.py) in
 * Promela, so that explore's verdicts on unbuffered channels can be checked against SPIN's
 * (tests/test_spin_agreement.py). A Promela channel of capacity 0 is a rendezvous: a send
 * completes only together with a receive, as Go's unbuffered channel and the course's
 * rt.chan(name, 0).
 *
 *   spin -DP=2 -DEV=0 -DCBK=0 -a rendezvous.pml && cc -DSAFETY -o pan pan.c && ./pan
 *
 * Knobs: P proposals from the client; EV the capacity of events (raft -> store); CBK the
 * capacity of callbacks (store -> raft). Raft takes P + 1 messages, each a proposal it
 * turns into an event or the store's callback (either ready case: SPIN tries both, as
 * Go's select may take either); the store takes one event, sends its callback, then takes
 * the other P - 1 events. Items carry nothing that steers anyone (data independence).
 * Every actor ends, so a deadlock is an invalid end state (-DSAFETY). No xs/xr here:
 * SPIN refuses them on a rendezvous channel.
 */
#ifndef P
#define P 2
#endif
#ifndef EV
#define EV 0
#endif
#ifndef CBK
#define CBK 0
#endif

chan proposals = [P] of { bit };
chan events = [EV] of { bit };
chan callbacks = [CBK] of { bit };

active proctype client() {
    byte sent = 0;
    do
    :: sent < P -> proposals!1; sent++
    :: else -> break
    od
}

active proctype raft() {
    byte taken = 0;
    do
    :: taken < P + 1 ->
        if
        :: proposals?_ -> events!1
        :: callbacks?_
        fi;
        taken++
    :: else -> break
    od
}

active proctype store() {
    byte got = 1;
    events?_;
    callbacks!1;
    do
    :: got < P -> events?_; got++
    :: else -> break
    od
}
