/* The engine: the single-threaded C process of the incident, as one C thread.
 *
 * It takes one request at a time from the C buffer, replies that it has it, then
 * writes the answer into the shim's go channel buffer (`notifications`) item by
 * item, through a call into Go. When that channel is full, the call blocks: the whole
 * engine stops, because it has only this one thread. */
#ifndef ENGINE_H
#define ENGINE_H

enum { KIND_GET, KIND_PING, KIND_SUBSCRIBE, KIND_CHANGES };   /* a request's kind */
enum { ITEM_DATA, ITEM_CHANGE };                              /* an answer item's kind */
#define TOPIC_MAX 64

/* Start the engine's thread (named "engine", as the kernel shows it) with a C buffer
 * of `capacity` requests. Returns 0, or an errno value. */
int engine_start(int capacity);

/* Queue a request in the C buffer; blocks while the buffer is full. */
void engine_enqueue(int id, int kind, const char *arg, int count);

/* How many requests the C buffer holds now. */
int engine_c_buffer_depth(void);

/* Ask the kernel to kill this process when the process that started it ends, unless
 * it has ended already (getppid() is no longer `parent`). Returns 0, or -1. */
int die_with_parent(int parent);

#endif
