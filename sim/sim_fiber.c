/* sim_fiber.c: fiber stacks and what guards them.
 *
 * Every stack is one mmap: SIM_GUARD_PAGES inaccessible pages below the
 * usable part, so running off the end faults instead of corrupting a
 * neighbour.  A SIGSEGV handler on an alternate signal stack recognises a
 * fault inside a guard region, prints "stack overflow in fiber <name>" and
 * exits with SIM_EXIT_CRASH (the faulting fiber cannot continue and the
 * world's state is not trustworthy enough to unwind).  Other faults go to
 * the handler that was there before (ASan's, or the default).
 *
 * Released stacks are kept in a small pool (worlds are short and many); a
 * stack taken from the pool is unpoisoned for ASan, since fibers that never
 * returned leave their frames' redzones poisoned. */
#include "sim_int.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define SIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIM_ASAN 1
#endif
#endif

#if defined(SIM_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

/* 64 KiB of guard: a frame larger than one page can jump a single guard
 * page when the compiler emits no stack probes. */
#define SIM_GUARD_PAGES 16
#define SIM_POOL_MAX 64

void sim_asan_start_switch(void **fake_stack_save, const void *bottom, size_t size) {
#if defined(SIM_ASAN)
  __sanitizer_start_switch_fiber(fake_stack_save, bottom, size);
#else
  (void)fake_stack_save;
  (void)bottom;
  (void)size;
#endif
}

void sim_asan_finish_switch(void *fake_stack_save, const void **bottom_old, size_t *size_old) {
#if defined(SIM_ASAN)
  __sanitizer_finish_switch_fiber(fake_stack_save, bottom_old, size_old);
#else
  (void)fake_stack_save;
  (void)bottom_old;
  (void)size_old;
#endif
}

void sim_asan_unpoison(void *p, size_t n) {
#if defined(SIM_ASAN)
  __asan_unpoison_memory_region(p, n);
#else
  (void)p;
  (void)n;
#endif
}

size_t sim_page_size(void) {
  static size_t page;
  if (page == 0) {
    long v = sysconf(_SC_PAGESIZE);
    page = v > 0 ? (size_t)v : 4096;
  }
  return page;
}

static sim_stack_t pool[SIM_POOL_MAX];
static size_t pool_len;

bool sim_stack_alloc(sim_stack_t *s, size_t size) {
  for (size_t i = pool_len; i-- > 0;) {
    if (pool[i].size == size) {
      *s = pool[i];
      pool[i] = pool[--pool_len];
      sim_asan_unpoison(s->lo, s->size);
      return true;
    }
  }
  size_t guard = SIM_GUARD_PAGES * sim_page_size();
  void *map = mmap(NULL, guard + size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
  if (map == MAP_FAILED) return false;
  if (mprotect(map, guard, PROT_NONE) != 0) {
    munmap(map, guard + size);
    return false;
  }
  s->map = map;
  s->map_size = guard + size;
  s->lo = (char *)map + guard;
  s->size = size;
  return true;
}

void sim_stack_release(sim_stack_t *s) {
  if (s->map == NULL) return;
  if (pool_len < SIM_POOL_MAX) {
    pool[pool_len++] = *s;
  } else {
    sim_asan_unpoison(s->lo, s->size);
    munmap(s->map, s->map_size);
  }
  memset(s, 0, sizeof *s);
}

void sim_stack_pool_trim(void) {
  while (pool_len > 0) {
    sim_stack_t *s = &pool[--pool_len];
    sim_asan_unpoison(s->lo, s->size);
    munmap(s->map, s->map_size);
  }
}

/* ---- stack overflow reporting ---------------------------------------------- */

static struct sigaction old_segv, old_bus;
static bool guard_installed;

static void write_str(const char *s) {
  size_t n = strlen(s);
  while (n > 0) {
    ssize_t k = write(2, s, n);
    if (k <= 0) return;
    s += k;
    n -= (size_t)k;
  }
}

static void write_u32(uint32_t v) {
  char buf[16];
  int i = (int)sizeof buf;
  buf[--i] = '\0';
  do {
    buf[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0 && i > 0);
  write_str(&buf[i]);
}

static void on_fault(int sig, siginfo_t *info, void *uctx) {
  sim_world_t *w = sim_world_;
  if (w != NULL) {
    uintptr_t a = (uintptr_t)info->si_addr;
    for (uint32_t i = 0; i < w->n_fibers; i++) {
      sim_fiber_t *f = w->fibers[i];
      uintptr_t lo = (uintptr_t)f->stack.map;
      if (f->stack.map != NULL && a >= lo && a < (uintptr_t)f->stack.lo) {
        write_str("sim: stack overflow in fiber ");
        write_str(f->name);
        write_str(" (#");
        write_u32(f->id);
        write_str("): the fault hit its guard page; raise sim_config_t.stack_size\n");
        _exit(SIM_EXIT_CRASH);
      }
    }
  }
  /* Not ours: hand it to whoever handled it before. */
  struct sigaction *old = sig == SIGSEGV ? &old_segv : &old_bus;
  if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction != NULL) {
    old->sa_sigaction(sig, info, uctx);
    return;
  }
  if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
    old->sa_handler(sig);
    return;
  }
  signal(sig, SIG_DFL); /* returning re-executes the access and dies by default */
}

void sim_guard_install(void) {
  if (guard_installed) return;
  guard_installed = true;
  stack_t cur;
  if (sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_DISABLE)) {
    static char *alt;
    size_t n = 256 * 1024; /* ASan's reporting runs here too when it chains */
    alt = malloc(n);
    if (alt != NULL) {
      stack_t ss = {.ss_sp = alt, .ss_size = n, .ss_flags = 0};
      (void)sigaltstack(&ss, NULL);
    }
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &old_segv);
  sigaction(SIGBUS, &sa, &old_bus);
}
