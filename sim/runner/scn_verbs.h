/* scn_verbs.h: the verbs of the scenario language, one X-macro list shared
 * by the parser (signatures), the interpreter (dispatch) and the docs
 * (usage).  Private to sim/runner.
 *
 * X(id, "name", sig, keys, usage)
 *   sig: one character per positional argument
 *     N  a new object name          o  an existing object
 *     n  a number >= 0              i  a signed number
 *     d  data ("text", x"hex", fill N)
 *     s  a string ("text")          D  a deadline (+50ms, -5s, past, none, now)
 *     t  a duration (5ms)           a  an address (127.0.0.1:80) or an object
 *     w  a word from the verb's word list (see scn_parse.c)
 *     P  the optional word `peer`   ?  the rest is optional
 *     *  the previous kind repeats  x  any word
 *   keys: "key:kind,..." accepted as key=value after the positionals. */
#ifndef IOCPSIM_SCN_VERBS_H
#define IOCPSIM_SCN_VERBS_H

#define SCN_VERB_LIST(X)                                                                          \
  /* objects */                                                                                   \
  X(LISTEN, "listen", "Nw?a", "backlog:n", "listen NAME tcp|tcp4|tcp6 [ADDR] [backlog=N]")        \
  X(DIAL, "dial", "Nwa", "deadline:D", "dial NAME tcp|tcp4|tcp6 TARGET [deadline=DL]")            \
  X(ACCEPT, "accept", "o", "", "accept LISTENER as NAME")                                         \
  X(PAIR, "pair", "NPN", "", "pair A [peer] B")                                                   \
  X(UDP, "udp", "PN?a", "", "udp [peer] NAME [ADDR]")                                             \
  X(DIAL_UDP, "dial_udp", "Nwa", "", "dial_udp NAME udp|udp4|udp6 TARGET")                        \
  X(SOCKET, "socket", "Nw", "", "socket NAME tcp|tcp4|tcp6|udp|udp4|udp6")                        \
  X(INIT, "init", "ox?w", "", "init FD NET [pollable|unpollable]")                                \
  X(PIPE, "pipe", "NN", "", "pipe READER WRITER")                                                 \
  X(NAMEDPIPE, "namedpipe", "NNs?w", "",                                                          \
    "namedpipe SERVER CLIENT r\"\\\\.\\pipe\\name\" [byte|message]")                              \
  X(FILE, "file", "sd", "", "file \"path\" DATA")                                                 \
  X(OPEN, "open", "Ns?w*", "perm:n",                                                              \
    "open NAME \"path\" [rdonly|wronly|rdwr|create|excl|trunc|append]...")                        \
  X(STDIN, "stdin", "N", "", "stdin NAME")                                                        \
  X(STDOUT, "stdout", "N", "", "stdout NAME")                                                     \
  X(STDERR, "stderr", "N", "", "stderr NAME")                                                     \
  X(EVENT, "event", "N", "", "event NAME")                                                        \
  /* the core's FD methods */                                                                     \
  X(READ, "read", "on", "", "read FD N")                                                          \
  X(PREAD, "pread", "oni", "", "pread FD N OFFSET")                                               \
  X(READ_FROM, "read_from", "on", "", "read_from FD N")                                           \
  X(READ_FROM4, "read_from_inet4", "on", "", "read_from_inet4 FD N")                              \
  X(READ_FROM6, "read_from_inet6", "on", "", "read_from_inet6 FD N")                              \
  X(READ_MSG, "read_msg", "on", "oob:n,flags:n", "read_msg FD N [oob=N] [flags=N]")               \
  X(READ_MSG4, "read_msg_inet4", "on", "oob:n,flags:n", "read_msg_inet4 FD N [oob=N] [flags=N]")  \
  X(READ_MSG6, "read_msg_inet6", "on", "oob:n,flags:n", "read_msg_inet6 FD N [oob=N] [flags=N]")  \
  X(WRITE, "write", "od", "", "write FD DATA")                                                    \
  X(PWRITE, "pwrite", "odi", "", "pwrite FD DATA OFFSET")                                         \
  X(WRITEV, "writev", "o?d*", "", "writev FD DATA...")                                            \
  X(WRITE_TO, "write_to", "oda", "", "write_to FD DATA TARGET")                                   \
  X(WRITE_TO4, "write_to_inet4", "oda", "", "write_to_inet4 FD DATA TARGET")                      \
  X(WRITE_TO6, "write_to_inet6", "oda", "", "write_to_inet6 FD DATA TARGET")                      \
  X(WRITE_MSG, "write_msg", "od", "to:a,oob:d", "write_msg FD DATA [to=TARGET] [oob=DATA]")       \
  X(WRITE_MSG4, "write_msg_inet4", "oda", "oob:d", "write_msg_inet4 FD DATA TARGET [oob=DATA]")   \
  X(WRITE_MSG6, "write_msg_inet6", "oda", "oob:d", "write_msg_inet6 FD DATA TARGET [oob=DATA]")   \
  X(CLOSE, "close", "o", "", "close FD")                                                          \
  X(CLOSE_WRITE, "close_write", "o", "", "close_write FD")                                        \
  X(CLOSE_READ, "close_read", "o", "", "close_read FD")                                           \
  X(SEEK, "seek", "oiw", "", "seek FD OFFSET set|cur|end")                                        \
  X(FCHMOD, "fchmod", "on", "", "fchmod FD MODE")                                                 \
  X(FCHDIR, "fchdir", "o", "", "fchdir FD")                                                       \
  X(FSYNC, "fsync", "o", "", "fsync FD")                                                          \
  X(FILETYPE, "filetype", "o", "", "filetype FD")                                                 \
  X(STAT, "stat", "o", "", "stat FD")                                                             \
  X(SET_DEADLINE, "set_deadline", "oD", "", "set_deadline FD DL")                                 \
  X(SET_READ_DEADLINE, "set_read_deadline", "oD", "", "set_read_deadline FD DL")                  \
  X(SET_WRITE_DEADLINE, "set_write_deadline", "oD", "", "set_write_deadline FD DL")               \
  X(RAW_READ, "raw_read", "o", "", "raw_read FD")                                                 \
  X(RAW_WRITE, "raw_write", "ow", "", "raw_write FD true|false")                                  \
  /* raw Win32 / Winsock on an object's handle (the peer's side, or behind the core's back) */    \
  X(SEND, "send", "od", "", "send SOCK DATA")                                                     \
  X(RECV, "recv", "on", "", "recv SOCK N")                                                        \
  X(SENDTO, "sendto", "oda", "", "sendto SOCK DATA TARGET")                                       \
  X(RECVFROM, "recvfrom", "on", "", "recvfrom SOCK N")                                            \
  X(SHUTDOWN, "shutdown", "ow", "", "shutdown SOCK send|recv|both")                               \
  X(RESET, "reset", "o", "", "reset SOCK")                                                        \
  X(CLOSESOCKET, "closesocket", "o", "", "closesocket SOCK")                                      \
  X(CLOSEHANDLE, "closehandle", "o", "", "closehandle HANDLE")                                    \
  X(CONNECT, "connect", "Na", "", "connect NAME TARGET")                                          \
  X(CANCEL_IO, "cancel_io", "o", "", "cancel_io OBJ")                                             \
  X(FOREIGN_RECV, "foreign_recv", "on", "", "foreign_recv FD N")                                  \
  X(WRITE_FILE, "write_file", "od", "", "write_file HANDLE DATA")                                 \
  /* control */                                                                                   \
  X(SLEEP, "sleep", "t", "", "sleep DURATION")                                                    \
  X(UNTIL, "until", "t", "", "until TIME")                                                        \
  X(SIGNAL, "signal", "o", "", "signal EVENT")                                                    \
  X(WAIT, "wait", "o", "", "wait EVENT")                                                          \
  X(YIELD, "yield", "", "", "yield")                                                              \
  X(FAULT, "fault", "", "", "fault RULE (docs/fakewin-io.md §6.1; handle=@NAME names an object)") \
  X(REPEAT, "repeat", "n", "", "repeat N  (then an indented block)")

typedef enum scn_verb {
#define SCN_VERB_ENUM(id, name, sig, keys, usage) SCN_V_##id,
  SCN_VERB_LIST(SCN_VERB_ENUM)
#undef SCN_VERB_ENUM
      SCN_V_COUNT
} scn_verb_t;

#endif
