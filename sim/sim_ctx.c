/* sim_ctx.c: the context switch.
 *
 * The own switch saves only what the ABI says a callee must preserve, on
 * the stack being left, and stores that stack pointer; resuming pops the
 * same set from the other stack and returns into it.  Floating-point control
 * state (x86 MXCSR / x87 control word, aarch64 FPCR) is not switched: code in
 * the simulator never changes rounding modes, and skipping it keeps a switch
 * at a handful of instructions.  Other architectures, or a build configured
 * with IOCPSIM_FIBER_UCONTEXT=ON, use getcontext/makecontext/swapcontext. */
#include "sim_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if !defined(IOCPSIM_FIBER_UCONTEXT)

/* void sim_ctx_swap_raw(void **save_sp, void *new_sp) */
#if defined(__x86_64__)
/* Saved frame, from the new stack pointer up: r15 r14 r13 r12 rbx rbp, then
 * the return address. */
__asm__(
    ".text\n"
    ".globl sim_ctx_swap_raw\n"
    ".type sim_ctx_swap_raw,@function\n"
    ".p2align 4\n"
    "sim_ctx_swap_raw:\n"
    "  pushq %rbp\n"
    "  pushq %rbx\n"
    "  pushq %r12\n"
    "  pushq %r13\n"
    "  pushq %r14\n"
    "  pushq %r15\n"
    "  movq %rsp, (%rdi)\n"
    "  movq %rsi, %rsp\n"
    "  popq %r15\n"
    "  popq %r14\n"
    "  popq %r13\n"
    "  popq %r12\n"
    "  popq %rbx\n"
    "  popq %rbp\n"
    "  ret\n"
    ".size sim_ctx_swap_raw, .-sim_ctx_swap_raw\n");
#define SIM_CTX_FRAME_WORDS 6
#elif defined(__aarch64__)
/* Saved frame (160 bytes, 16-aligned): x19..x28, x29 (fp), x30 (lr),
 * d8..d15.  `ret` jumps to the restored x30. */
__asm__(
    ".text\n"
    ".globl sim_ctx_swap_raw\n"
    ".type sim_ctx_swap_raw,%function\n"
    ".p2align 4\n"
    "sim_ctx_swap_raw:\n"
    "  sub sp, sp, #160\n"
    "  stp x19, x20, [sp, #0]\n"
    "  stp x21, x22, [sp, #16]\n"
    "  stp x23, x24, [sp, #32]\n"
    "  stp x25, x26, [sp, #48]\n"
    "  stp x27, x28, [sp, #64]\n"
    "  stp x29, x30, [sp, #80]\n"
    "  stp d8, d9, [sp, #96]\n"
    "  stp d10, d11, [sp, #112]\n"
    "  stp d12, d13, [sp, #128]\n"
    "  stp d14, d15, [sp, #144]\n"
    "  mov x2, sp\n"
    "  str x2, [x0]\n"
    "  mov sp, x1\n"
    "  ldp x19, x20, [sp, #0]\n"
    "  ldp x21, x22, [sp, #16]\n"
    "  ldp x23, x24, [sp, #32]\n"
    "  ldp x25, x26, [sp, #48]\n"
    "  ldp x27, x28, [sp, #64]\n"
    "  ldp x29, x30, [sp, #80]\n"
    "  ldp d8, d9, [sp, #96]\n"
    "  ldp d10, d11, [sp, #112]\n"
    "  ldp d12, d13, [sp, #128]\n"
    "  ldp d14, d15, [sp, #144]\n"
    "  add sp, sp, #160\n"
    "  ret\n"
    ".size sim_ctx_swap_raw, .-sim_ctx_swap_raw\n");
#else
#error "no own context switch for this architecture: configure with IOCPSIM_FIBER_UCONTEXT=ON"
#endif

void sim_ctx_swap_raw(void **save_sp, void *new_sp);

void sim_ctx_make(sim_ctx_t *ctx, void *stack_lo, size_t stack_size, void (*entry)(void)) {
  uintptr_t top = ((uintptr_t)stack_lo + stack_size) & ~(uintptr_t)15;
  void **sp = (void **)top;
#if defined(__x86_64__)
  /* entry() must see rsp % 16 == 8, as after a call: a zero "return
   * address" sits above the word `ret` pops. */
  *--sp = NULL;
  *--sp = (void *)entry;
  for (int i = 0; i < SIM_CTX_FRAME_WORDS; i++) *--sp = NULL; /* rbp = 0 ends backtraces */
#else
  sp -= 20; /* 160 bytes */
  memset(sp, 0, 160);
  sp[11] = (void *)entry; /* x30 */
#endif
  ctx->sp = sp;
}

void sim_ctx_switch(sim_ctx_t *from, sim_ctx_t *to) {
  sim_ctx_swap_raw(&from->sp, to->sp);
}

#else /* IOCPSIM_FIBER_UCONTEXT */

void sim_ctx_make(sim_ctx_t *ctx, void *stack_lo, size_t stack_size, void (*entry)(void)) {
  if (getcontext(&ctx->uc) != 0) abort();
  ctx->uc.uc_stack.ss_sp = stack_lo;
  ctx->uc.uc_stack.ss_size = stack_size;
  ctx->uc.uc_link = NULL;
  makecontext(&ctx->uc, entry, 0);
}

void sim_ctx_switch(sim_ctx_t *from, sim_ctx_t *to) {
  if (swapcontext(&from->uc, &to->uc) != 0) abort();
}

#endif
