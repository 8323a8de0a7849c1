/* pipe_state: GetNamedPipeHandleState on a local named pipe's ends and an
 * anonymous pipe, asking for the state and instances alone and for the
 * fields that have no meaning on a local pipe (collection count, collection
 * timeout, user name) one at a time; what is written where.
 * Items: W38. */
#include "probe.h"

static void show(const char *key, HANDLE h, int which) {
  DWORD state = SENT, inst = SENT, count = SENT, timeout = SENT;
  char user[64];
  memset(user, 'x', sizeof user);
  user[sizeof user - 1] = 0;
  SetLastError(0xdeadbeef);
  BOOL ok = GetNamedPipeHandleStateA(h, &state, &inst, which == 1 ? &count : NULL,
                                     which == 2 ? &timeout : NULL, which == 3 ? user : NULL,
                                     which == 3 ? sizeof user : 0);
  DWORD err = GetLastError();
  /* the user name itself is the account's; only whether one was written */
  int named = user[0] != 'x' && user[0] != 0 && strlen(user) < sizeof user - 1;
  printf("%s: ok=%d err=%lu state=0x%lx inst=0x%lx count=0x%lx timeout=0x%lx user_named=%d\n", key,
         ok, ok ? 0 : err, state, inst, count, timeout, named);
}

int main(void) {
  HANDLE srv =
      CreateNamedPipeA("\\\\.\\pipe\\iocpsim_pipe_state", PIPE_ACCESS_DUPLEX,
                       PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, 2, 1024, 1024, 0, NULL);
  HANDLE cli = CreateFileA("\\\\.\\pipe\\iocpsim_pipe_state", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                           OPEN_EXISTING, 0, NULL);
  printf("created: srv=%d cli=%d\n", srv != INVALID_HANDLE_VALUE, cli != INVALID_HANDLE_VALUE);
  static const char *const what[] = {"plain", "count", "timeout", "user"};
  char key[64];
  for (int w = 0; w < 4; w++) {
    snprintf(key, sizeof key, "server_%s", what[w]);
    show(key, srv, w);
  }
  for (int w = 0; w < 4; w++) {
    snprintf(key, sizeof key, "client_%s", what[w]);
    show(key, cli, w);
  }
  HANDLE r, wr;
  CreatePipe(&r, &wr, NULL, 0);
  for (int w = 0; w < 4; w++) {
    snprintf(key, sizeof key, "anon_read_%s", what[w]);
    show(key, r, w);
  }
  CloseHandle(r);
  CloseHandle(wr);
  CloseHandle(cli);
  CloseHandle(srv);
  return 0;
}
