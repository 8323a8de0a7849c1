/* fw_testdev.c: the TEST-ONLY message device of fw_testdev.h. */
#include "fw_testdev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <winsock2.h>

/* The device's fault site, registered with fakewin as any device model's
 * would be (fw_site_register).  Number 60 and the name TestIo are stable:
 * plans and traces name them.  Its reads behave like a message-mode read,
 * or like a receive for a socket-type device. */
#define TESTDEV_SITE ((fw_site_t)60)

static const uint32_t testdev_errors[] = {ERROR_MORE_DATA,   ERROR_INVALID_PARAMETER,
                                          ERROR_BROKEN_PIPE, ERROR_OPERATION_ABORTED,
                                          ERROR_HANDLE_EOF,  ERROR_NETNAME_DELETED,
                                          WSAEMSGSIZE,       WSAECONNRESET,
                                          WSAENOTCONN,       WSAESHUTDOWN,
                                          FW_SITE_LIST_END};
static const uint32_t testdev_statuses[] = {STATUS_SUCCESS,
                                            STATUS_BUFFER_OVERFLOW,
                                            STATUS_CANCELLED,
                                            STATUS_END_OF_FILE,
                                            STATUS_PIPE_BROKEN,
                                            STATUS_CONNECTION_RESET,
                                            STATUS_CONNECTION_ABORTED,
                                            STATUS_CONNECTION_REFUSED,
                                            STATUS_HANDLES_CLOSED,
                                            STATUS_INVALID_CONNECTION,
                                            STATUS_IO_TIMEOUT,
                                            STATUS_PORT_UNREACHABLE,
                                            STATUS_INSUFFICIENT_RESOURCES,
                                            FW_SITE_LIST_END};

/* Before main: the host side of a test adds rules naming TestIo before any
 * device exists. */
__attribute__((constructor)) static void testdev_register_site(void) {
  const fw_site_desc_t desc = {
      .site = TESTDEV_SITE,
      .name = "TestIo",
      .caps = FW_SITE_CAN_SUCCEED | FW_SITE_CAN_FAIL | FW_SITE_CAN_PEND | FW_SITE_CAN_SHORT |
              FW_SITE_CAN_WARN | FW_SITE_HAS_PEER,
      .errors = testdev_errors,
      .statuses = testdev_statuses,
      .message_reads = true,
  };
  char why[160];
  if (!fw_site_register(&desc, why, sizeof why)) {
    fprintf(stderr, "fw_testdev: %s\n", why);
    abort();
  }
}

#define TESTDEV_MSGS 128
#define TESTDEV_MSG_MAX 256

typedef struct testdev_msg {
  uint8_t data[TESTDEV_MSG_MAX];
  DWORD len, off;
} testdev_msg_t;

typedef struct testdev_req testdev_req_t;

typedef struct testdev {
  fw_io_obj_t io;
  fw_io_family_t family;
  testdev_msg_t msgs[TESTDEV_MSGS];
  uint32_t head, count;
  testdev_req_t *readers_head, *readers_tail; /* pending overlapped reads, FIFO */
} testdev_t;

struct testdev_req {
  fw_io_req_t base; /* first */
  uint8_t *buf;
  DWORD len;
  testdev_req_t *next;
};

static void dev_last_handle_closed(fw_obj_t *o) {
  fw_io_obj_handle_closed((fw_io_obj_t *)o);
}
static void dev_destroy(fw_obj_t *o) {
  fw_io_obj_release((fw_io_obj_t *)o);
  free(o);
}
static const fw_obj_ops_t dev_ops = {.type_name = "testdev",
                                     .is_signaled = fw_io_obj_is_signaled,
                                     .acquire = fw_io_obj_acquire,
                                     .last_handle_closed = dev_last_handle_closed,
                                     .destroy = dev_destroy};

static testdev_t *dev_of(HANDLE h) {
  fw_io_obj_t *io;
  if (fw_io_obj_get(h, &io) != 0 || io->obj.ops != &dev_ops) return NULL;
  return (testdev_t *)io;
}

HANDLE testdev_open(fw_type_t type, bool overlapped) {
  testdev_t *d = calloc(1, sizeof *d);
  if (d == NULL) abort();
  fw_io_obj_init(&d->io, type, &dev_ops, overlapped);
  d->family = type == FW_TYPE_SOCKET ? FW_IO_WINSOCK : FW_IO_KERNEL32;
  HANDLE h = fw_handle_new(&d->io.obj);
  fw_obj_unref(&d->io.obj);
  return h;
}

/* Takes up to len bytes of the first message: the status says whether the
 * message was consumed (STATUS_SUCCESS) or truncated (STATUS_BUFFER_OVERFLOW,
 * the rest stays queued). */
static NTSTATUS take(testdev_t *d, uint8_t *buf, DWORD len, DWORD *n) {
  testdev_msg_t *m = &d->msgs[d->head];
  DWORD left = m->len - m->off;
  DWORD k = left < len ? left : len;
  if (k) memcpy(buf, m->data + m->off, k);
  *n = k;
  if (k < left) {
    m->off += k;
    return STATUS_BUFFER_OVERFLOW;
  }
  d->head = (d->head + 1) % TESTDEV_MSGS;
  d->count--;
  return STATUS_SUCCESS;
}

static DWORD req_detach(fw_io_req_t *base) {
  testdev_req_t *r = (testdev_req_t *)base;
  testdev_t *d = (testdev_t *)base->issued_on;
  for (testdev_req_t **pp = &d->readers_head; *pp != NULL; pp = &(*pp)->next) {
    if (*pp == r) {
      *pp = r->next;
      if (d->readers_tail == r) {
        d->readers_tail = NULL;
        for (testdev_req_t *x = d->readers_head; x != NULL; x = x->next) d->readers_tail = x;
      }
      break;
    }
  }
  r->next = NULL;
  return 0;
}

/* A forced success moves real data when there is some. */
static void req_forced(fw_io_req_t *base, NTSTATUS *status, DWORD *bytes) {
  testdev_req_t *r = (testdev_req_t *)base;
  testdev_t *d = (testdev_t *)base->issued_on;
  if (*status == STATUS_SUCCESS && d->count > 0) {
    DWORD n;
    DWORD want = *bytes < r->len ? *bytes : r->len;
    (void)take(d, r->buf, want, &n);
    *bytes = n;
  }
}

static const fw_io_req_ops_t req_ops = {.detach = req_detach, .forced = req_forced};

static void sync_result(DWORD err, DWORD bytes, DWORD *n, fw_io_family_t fam) {
  if (n != NULL && (err == 0 || (err == ERROR_MORE_DATA && fam == FW_IO_KERNEL32))) *n = bytes;
}

BOOL testdev_read(HANDLE h, void *buf, DWORD len, DWORD *n, OVERLAPPED *ov) {
  static sim_tracepoint_t tp = {"TestIo", {{"h", 'x'}, {"len", 'u'}, {"ov", 'p'}}, 0, 0};
  fw_thread_t *t = fw_enter("TestIo");
  testdev_t *d = dev_of(h);
  fw_fault_t f;
  (void)fw_fault_check(TESTDEV_SITE, FW_OP_DEVICE, h, d ? &d->io.obj : NULL, &f);
  DWORD err = 0, bytes = 0;
  if (d == NULL) {
    err = ERROR_INVALID_HANDLE;
  } else if (d->io.overlapped && ov == NULL) {
    err = ERROR_INVALID_PARAMETER;
  } else {
    /* a socket-type device's reads are receives (close rules, F40) */
    fw_op_t op = d->io.obj.type == FW_TYPE_SOCKET ? FW_OP_RECV : FW_OP_DEVICE;
    testdev_req_t *r = (testdev_req_t *)fw_io_req_new(&d->io, op, TESTDEV_SITE, d->family, ov,
                                                      &req_ops, sizeof(testdev_req_t));
    r->buf = buf;
    r->len = len;
    fw_io_start(&r->base);
    /* peer faults are scheduled already: the call does its default */
    bool request_outcome = f.rule != 0 && f.outcome != FW_FAULT_SHORT &&
                           f.outcome != FW_FAULT_PEER_FIN && f.outcome != FW_FAULT_PEER_RST;
    if (request_outcome) {
      err = fw_io_apply_fault(&r->base, &f, &bytes);
    } else {
      DWORD cap = f.rule != 0 && f.outcome == FW_FAULT_SHORT ? fw_fault_short_cap(&f, len) : len;
      for (;;) {
        if (d->count > 0) {
          NTSTATUS s = take(d, r->buf, cap, &bytes);
          err = fw_io_finish_immediate(&r->base, s, bytes);
          break;
        }
        if (d->io.overlapped) {
          r->next = NULL;
          if (d->readers_tail)
            d->readers_tail->next = r;
          else
            d->readers_head = r;
          d->readers_tail = r;
          err = ERROR_IO_PENDING;
          break;
        }
        DWORD w = fw_io_sync_block(&d->io, "TestIo", SIM_NO_TIMEOUT);
        if (w != 0) {
          err = fw_io_fail_immediate(&r->base, w);
          break;
        }
      }
    }
  }
  sync_result(err, bytes, n, d ? d->family : FW_IO_KERNEL32);
  if (err != 0) fw_set_error(t, err);
  FW_TRACE(&tp, t, err == 0, FW_P(h), len, FW_P(ov));
  return err == 0;
}

void testdev_push(HANDLE h, const void *data, DWORD len) {
  testdev_t *d = dev_of(h);
  if (d == NULL || d->count == TESTDEV_MSGS || len > TESTDEV_MSG_MAX)
    sim_fail(SIM_STATUS_CRASH, "testdev_push: bad handle or full device");
  testdev_msg_t *m = &d->msgs[(d->head + d->count) % TESTDEV_MSGS];
  if (len) memcpy(m->data, data, len);
  m->len = len;
  m->off = 0;
  d->count++;
  while (d->readers_head != NULL && d->count > 0) {
    testdev_req_t *r = d->readers_head;
    d->readers_head = r->next;
    if (d->readers_head == NULL) d->readers_tail = NULL;
    r->next = NULL;
    DWORD n;
    NTSTATUS s = take(d, r->buf, r->len, &n);
    fw_io_complete(&r->base, s, n);
  }
  fw_io_sync_wake_all(&d->io);
}

typedef struct push_ev {
  HANDLE h;
  DWORD len;
  uint8_t data[TESTDEV_MSG_MAX];
} push_ev_t;

static void push_due(void *arg) {
  push_ev_t *e = arg;
  testdev_push(e->h, e->data, e->len);
  free(e);
}

void testdev_push_at(HANDLE h, uint64_t at, const void *data, DWORD len) {
  push_ev_t *e = calloc(1, sizeof *e);
  if (e == NULL || len > TESTDEV_MSG_MAX) abort();
  e->h = h;
  e->len = len;
  if (len) memcpy(e->data, data, len);
  (void)sim_at(at, push_due, e);
}

uint32_t testdev_pending(HANDLE h) {
  testdev_t *d = dev_of(h);
  return d ? d->io.n_pending : 0;
}

fw_port_t *testdev_port(HANDLE port) {
  fw_obj_t *o;
  if (fw_handle_get(port, FW_TYPE_IOCP, false, &o) != 0) return NULL;
  return (fw_port_t *)o;
}

/* ---- host side ------------------------------------------------------------------------------ */

#include <stdio.h>

#include "iocpsim_test.h"

sim_status_t testdev_run_one(void (*fn)(void *), void *arg, uint64_t seed, sim_result_t *r) {
  sim_config_t cfg = {.seed = seed};
  return sim_run(&cfg, fn, arg, r);
}

void testdev_run(void (*fn)(void *), void *arg, uint64_t seeds, fw_personality_t p) {
  fw_world_set_personality(p);
  for (uint64_t seed = 0; seed < seeds; seed++) {
    sim_result_t r;
    sim_status_t st = testdev_run_one(fn, arg, seed, &r);
    if (st != SIM_STATUS_PASS)
      print_message("seed %llu:\n%s\n", (unsigned long long)seed, r.report);
    sim_result_free(&r);
    assert_int_equal(st, SIM_STATUS_PASS);
    assert_int_equal(fw_world_leaked_handles(), 0);
  }
  fw_world_reset_config();
}
