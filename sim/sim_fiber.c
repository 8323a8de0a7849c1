/* sim_fiber.c: fiber stacks and what guards them.
 *
 * Every stack has SIM_GUARD_PAGES inaccessible pages below its usable
 * part, so running off the end faults instead of corrupting a neighbour.  A SIGSEGV handler on an
 * alternate signal stack recognises a fault inside a guard region, prints "stack overflow in fiber
 * <name>" and exits with SIM_EXIT_CRASH (the faulting fiber cannot continue and the world's state
 * is not trustworthy enough to unwind).  Other faults go to the handler that was there before
 * (ASan's, or the default).
 *
 * Stacks come from slabs (see below); a stack handed out again is
 * unpoisoned for ASan, since fibers that never returned leave their frames'
 * redzones poisoned. */
#include "sim_int.h"

#include <signal.h>
#include <stdio.h>
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
/* Stacks per slab (one mmap). */
#define SIM_SLAB_STACKS 64u

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102 /* Linux >= 6.13: guard pages without a mapping of their own */
#endif

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

/* ---- stacks: slabs of guarded slots ------------------------------------------- *
 *
 * A slab is one mmap of SIM_SLAB_STACKS slots of the same usable size; each
 * slot is SIM_GUARD_PAGES guard pages followed by the stack.  Guards are
 * installed with MADV_GUARD_INSTALL where the kernel has it (Linux >= 6.13):
 * the slab then stays one mapping, so vm.max_map_count (65530 by default)
 * bounds fibers at about 65530 * 64 instead of 65530 / 2.  Elsewhere each
 * guard is mprotect()ed, which splits the mapping: two mappings per stack,
 * as before; sim_fiber_capacity() says which bound applies.
 *
 * Slabs of one size are listed; those with a free slot are also on that
 * size's `partial` list, so an allocation is O(1).  A released stack goes
 * back to its slab (its pages stay, a reused stack is warm); a slab whose
 * slots are all free is unmapped unless it is the only free one of its size,
 * which is kept as the pool for the next world. */

typedef struct sim_slab {
  struct sim_slab *next_partial, *prev_partial;
  bool on_partial;
  char *map;
  size_t map_size, slot_size, size;
  uint32_t n_free;
  uint32_t free_idx[SIM_SLAB_STACKS];
} sim_slab_t;

typedef struct sim_size_class {
  size_t size;
  sim_slab_t *partial;
  uint32_t n_slabs;
  uint32_t n_empty; /* slabs with every slot free */
} sim_size_class_t;

/* One class per stack size in use (CreateThread sizes above the default
 * make more); a class whose slabs are all gone is reused for a new size. */
static sim_size_class_t *classes;
static uint32_t n_classes, cap_classes;
static int guard_mode; /* 0 unknown, 1 MADV_GUARD_INSTALL, 2 mprotect */

static sim_size_class_t *class_of(size_t size, bool create) {
  sim_size_class_t *unused = NULL;
  for (uint32_t i = 0; i < n_classes; i++) {
    if (classes[i].size == size) return &classes[i];
    if (classes[i].n_slabs == 0 && unused == NULL) unused = &classes[i];
  }
  if (!create) return NULL;
  if (unused == NULL) {
    if (n_classes == cap_classes) {
      uint32_t cap = cap_classes ? cap_classes * 2 : 4;
      sim_size_class_t *p = realloc(classes, cap * sizeof *p);
      if (p == NULL) return NULL;
      classes = p;
      cap_classes = cap;
    }
    unused = &classes[n_classes++];
  }
  memset(unused, 0, sizeof *unused);
  unused->size = size;
  return unused;
}

static void partial_add(sim_size_class_t *c, sim_slab_t *s) {
  if (s->on_partial) return;
  s->on_partial = true;
  s->prev_partial = NULL;
  s->next_partial = c->partial;
  if (c->partial) c->partial->prev_partial = s;
  c->partial = s;
}

static void partial_remove(sim_size_class_t *c, sim_slab_t *s) {
  if (!s->on_partial) return;
  s->on_partial = false;
  if (s->prev_partial)
    s->prev_partial->next_partial = s->next_partial;
  else
    c->partial = s->next_partial;
  if (s->next_partial) s->next_partial->prev_partial = s->prev_partial;
  s->next_partial = s->prev_partial = NULL;
}

static bool guard_slot(char *slot, size_t guard) {
  if (guard_mode != 2) {
    if (madvise(slot, guard, MADV_GUARD_INSTALL) == 0) {
      guard_mode = 1;
      return true;
    }
    if (guard_mode == 1) return false; /* it worked before: a real failure */
    guard_mode = 2;                    /* not supported by this kernel */
  }
  return mprotect(slot, guard, PROT_NONE) == 0;
}

static sim_slab_t *slab_new(sim_size_class_t *c) {
  size_t guard = SIM_GUARD_PAGES * sim_page_size();
  sim_slab_t *s = calloc(1, sizeof *s);
  if (s == NULL) return NULL;
  s->size = c->size;
  s->slot_size = guard + c->size;
  s->map_size = s->slot_size * SIM_SLAB_STACKS;
  void *map = mmap(NULL, s->map_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (map == MAP_FAILED) {
    free(s);
    return NULL;
  }
  s->map = map;
  for (uint32_t i = 0; i < SIM_SLAB_STACKS; i++) {
    if (!guard_slot(s->map + (size_t)i * s->slot_size, guard)) {
      munmap(s->map, s->map_size);
      free(s);
      return NULL;
    }
  }
  /* slot 0 is handed out first: the free stack pops from the end */
  for (uint32_t i = 0; i < SIM_SLAB_STACKS; i++) s->free_idx[i] = SIM_SLAB_STACKS - 1 - i;
  s->n_free = SIM_SLAB_STACKS;
  c->n_slabs++;
  c->n_empty++;
  partial_add(c, s);
  return s;
}

static void slab_unmap(sim_size_class_t *c, sim_slab_t *s) {
  partial_remove(c, s);
  sim_asan_unpoison(s->map, s->map_size);
  munmap(s->map, s->map_size);
  c->n_slabs--;
  c->n_empty--;
  free(s);
}

bool sim_stack_alloc(sim_stack_t *st, size_t size) {
  sim_size_class_t *c = class_of(size, true);
  if (c == NULL) return false;
  sim_slab_t *s = c->partial;
  if (s == NULL && (s = slab_new(c)) == NULL) return false;
  if (s->n_free == SIM_SLAB_STACKS) c->n_empty--;
  uint32_t i = s->free_idx[--s->n_free];
  if (s->n_free == 0) partial_remove(c, s);
  size_t guard = SIM_GUARD_PAGES * sim_page_size();
  st->map = s->map + (size_t)i * s->slot_size;
  st->map_size = s->slot_size;
  st->lo = (char *)st->map + guard;
  st->size = size;
  st->slab = s;
  st->slot = i;
  /* a reused stack may keep the redzones of frames that never returned */
  sim_asan_unpoison(st->lo, st->size);
  return true;
}

void sim_stack_release(sim_stack_t *st) {
  if (st->map == NULL) return;
  sim_slab_t *s = st->slab;
  sim_size_class_t *c = class_of(s->size, false);
  s->free_idx[s->n_free++] = st->slot;
  partial_add(c, s);
  if (s->n_free == SIM_SLAB_STACKS) {
    c->n_empty++;
    if (c->n_empty > 1) slab_unmap(c, s);
  }
  memset(st, 0, sizeof *st);
}

void sim_stack_pool_trim(void) {
  for (uint32_t k = 0; k < n_classes; k++) {
    sim_size_class_t *c = &classes[k];
    sim_slab_t *next;
    for (sim_slab_t *s = c->partial; s != NULL; s = next) {
      next = s->next_partial;
      if (s->n_free == SIM_SLAB_STACKS) slab_unmap(c, s);
    }
  }
}

/* How many more fibers' stacks the kernel's mapping limit leaves room for
 * (memory aside): with guard markers a slab of 64 costs one mapping, with
 * mprotect guards each stack costs two. */
static long read_long_file(const char *path) {
  FILE *f = fopen(path, "r");
  if (f == NULL) return -1;
  long v = -1;
  if (fscanf(f, "%ld", &v) != 1) v = -1;
  fclose(f);
  return v;
}

static size_t count_maps(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  if (f == NULL) return 0;
  size_t n = 0;
  int ch;
  while ((ch = fgetc(f)) != EOF) n += ch == '\n';
  fclose(f);
  return n;
}

size_t sim_fiber_capacity(size_t stack_size, const char **limit) {
  if (guard_mode == 0) {
    /* find out which guards this kernel gives, with a real slab */
    sim_stack_t probe;
    size_t page = sim_page_size();
    size_t size = stack_size ? (stack_size + page - 1) / page * page : SIM_DEFAULT_STACK_SIZE;
    if (sim_stack_alloc(&probe, size)) sim_stack_release(&probe);
  }
  long max_maps = read_long_file("/proc/sys/vm/max_map_count");
  if (max_maps <= 0) max_maps = 65530;
  size_t used = count_maps();
  size_t margin = 1024; /* for malloc arenas, libraries, the trace file... */
  size_t room = (size_t)max_maps > used + margin ? (size_t)max_maps - used - margin : 0;
  /* free slots in existing slabs need no new mapping */
  size_t free_slots = 0;
  for (uint32_t k = 0; k < n_classes; k++)
    for (sim_slab_t *s = classes[k].partial; s != NULL; s = s->next_partial)
      free_slots += s->n_free;
  if (limit) {
    *limit = guard_mode == 1
                 ? "vm.max_map_count (one mapping per 64 stacks, MADV_GUARD_INSTALL guards)"
                 : "vm.max_map_count (two mappings per stack: this kernel has no "
                   "MADV_GUARD_INSTALL, so guards are mprotect()ed)";
  }
  return free_slots + (guard_mode == 1 ? room * SIM_SLAB_STACKS : room / 2);
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
