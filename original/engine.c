/* The engine (see engine.h). The C buffer is a ring guarded by one mutex: `not_empty`
 * is signalled by engine_enqueue (the shim) and waited on by the engine's thread;
 * `not_full` the other way round. */
#define _GNU_SOURCE   /* pthread_setname_np */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "engine.h"
#include "_cgo_export.h"   /* goReply, goNotify: the shim's side, in Go */

typedef struct {
    int id, kind, count;
    char arg[TOPIC_MAX];
} request;

static struct {
    pthread_mutex_t lock;                 /* guards everything below */
    pthread_cond_t not_empty, not_full;
    request *ring;
    int capacity, head, len;
} c_buffer = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER};

static request take(void) {
    pthread_mutex_lock(&c_buffer.lock);
    while (c_buffer.len == 0)
        pthread_cond_wait(&c_buffer.not_empty, &c_buffer.lock);
    request r = c_buffer.ring[c_buffer.head];
    c_buffer.head = (c_buffer.head + 1) % c_buffer.capacity;
    c_buffer.len--;
    pthread_cond_signal(&c_buffer.not_full);
    pthread_mutex_unlock(&c_buffer.lock);
    return r;
}

void engine_enqueue(int id, int kind, const char *arg, int count) {
    pthread_mutex_lock(&c_buffer.lock);
    while (c_buffer.len == c_buffer.capacity)
        pthread_cond_wait(&c_buffer.not_full, &c_buffer.lock);
    request *r = &c_buffer.ring[(c_buffer.head + c_buffer.len) % c_buffer.capacity];
    r->id = id;
    r->kind = kind;
    r->count = count;
    strncpy(r->arg, arg, TOPIC_MAX - 1);
    r->arg[TOPIC_MAX - 1] = '\0';
    c_buffer.len++;
    pthread_cond_signal(&c_buffer.not_empty);
    pthread_mutex_unlock(&c_buffer.lock);
}

int engine_c_buffer_depth(void) {
    pthread_mutex_lock(&c_buffer.lock);
    int len = c_buffer.len;
    pthread_mutex_unlock(&c_buffer.lock);
    return len;
}

/* The topics subscribed to so far: a list that grows (a subscription is never dropped). */
static char (*subscribed)[TOPIC_MAX];
static int topics, room;

static void subscribe(const char *topic) {
    if (topics == room) {
        room = room ? 2 * room : 16;
        subscribed = realloc(subscribed, room * sizeof *subscribed);
        if (subscribed == NULL)
            abort();                                    /* out of memory: nothing to go on with */
    }
    strcpy(subscribed[topics++], topic);
}

static void *engine(void *unused) {
    (void)unused;
    pthread_setname_np(pthread_self(), "engine");
    for (;;) {
        request r = take();
        goReply(r.id);                                  /* "I have your request" */
        if (r.kind == KIND_SUBSCRIBE)
            subscribe(r.arg);
        int item = -1;
        if (r.kind == KIND_GET)
            item = ITEM_DATA;
        for (int t = 0; r.kind == KIND_CHANGES && t < topics; t++)
            if (strcmp(subscribed[t], r.arg) == 0)
                item = ITEM_CHANGE;
        for (int i = 1; item >= 0 && i <= r.count; i++)
            goNotify(r.id, item, r.arg, i, r.count);    /* blocks while notifications is full */
    }
    return NULL;
}

int engine_start(int capacity) {
    c_buffer.ring = calloc(capacity, sizeof(request));
    if (c_buffer.ring == NULL)
        return ENOMEM;
    c_buffer.capacity = capacity;
    pthread_t thread;
    int err = pthread_create(&thread, NULL, engine, NULL);
    return err ? err : pthread_detach(thread);
}

int die_with_parent(int parent) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        return -1;
    return getppid() == parent ? 0 : -1;
}
