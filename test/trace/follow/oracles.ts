// Real strace 6.1 output of test/guests/src/{forkpipe,threads,vforkexec}.c (musl builds), the
// oracle of the -f/-ff tests. Captured on Linux with
//   F='trace=!rt_sigprocmask,execve,arch_prctl,set_tid_address,mmap,mprotect,munmap,brk'
//   strace -f -o fp-o.txt -e "$F" ./forkpipe-musl         (fp-o*: -f to a file; th-o*: threads)
//   strace -f -e "$F" ./forkpipe-musl 2> fp-e.txt         (fp-e*: -f on stderr)
//   strace -f -o fp-a.txt -a 20 ... / -T ... / -e status=successful ... (fp-a, fp-T, fp-st)
//   strace -o fp-nofo.txt -e "$F" ./forkpipe-musl         (no -f)
//   strace -ff -o ff/fp ... ; strace --output-separately -o ff/os ... (ff-*: one file per task)
//   vforkexec: F without execve (its first line, the initial execve, left out).
// then normalized: pids renumbered from 1000 (in order), 0x7f… addresses renumbered
// 0x7f0000000001… in order of appearance (the same widths, so the alignment is strace's), and
// strace's `strace: Process N attached` messages on stderr taken out (they land mid-line, where
// the tracer's timing puts them). The fp-e and th-e captures chosen are those whose attach
// happened where emtrace's does: at the parent's fork or clone exit, or at the child's first
// event when that comes first.
export const ORACLES: Readonly<Record<string, string>> = {
  "fp-o1": `1000  pipe([3, 4])                      = 0
1000  fork()                            = 1001
1001  gettid()                          = 1001
1000  close(4)                          = 0
1001  close(3 <unfinished ...>
1000  read(3,  <unfinished ...>
1001  <... close resumed>)              = 0
1001  nanosleep({tv_sec=0, tv_nsec=50000000}, NULL) = 0
1001  write(4, "hello", 5)              = 5
1000  <... read resumed>"hello", 16)    = 5
1000  wait4(1001,  <unfinished ...>
1001  exit_group(3)                     = ?
1001  +++ exited with 3 +++
1000  <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 1001
1000  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---
1000  write(1, "hello", 5)              = 5
1000  fork( <unfinished ...>
1002  gettid()                          = 1002
1000  <... fork resumed>)               = 1002
1000  wait4(1002,  <unfinished ...>
1002  getpid()                          = 1002
1002  kill(1002, SIGTERM)               = 0
1002  --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=1002, si_uid=0} ---
1002  +++ killed by SIGTERM +++
1000  <... wait4 resumed>[{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = 1002
1000  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=1002, si_uid=0, si_status=SIGTERM, si_utime=0, si_stime=0} ---
1000  exit_group(15)                    = ?
1000  +++ exited with 15 +++
`,
  "fp-o2": `1000  pipe([3, 4])                      = 0
1000  fork()                            = 1001
1001  gettid()                          = 1001
1000  close(4)                          = 0
1000  read(3,  <unfinished ...>
1001  close(3)                          = 0
1001  nanosleep({tv_sec=0, tv_nsec=50000000}, NULL) = 0
1001  write(4, "hello", 5 <unfinished ...>
1000  <... read resumed>"hello", 16)    = 5
1001  <... write resumed>)              = 5
1000  wait4(1001,  <unfinished ...>
1001  exit_group(3)                     = ?
1001  +++ exited with 3 +++
1000  <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 1001
1000  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---
1000  write(1, "hello", 5)              = 5
1000  fork()                            = 1002
1000  wait4(1002,  <unfinished ...>
1002  gettid()                          = 1002
1002  getpid()                          = 1002
1002  kill(1002, SIGTERM)               = 0
1002  --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=1002, si_uid=0} ---
1002  +++ killed by SIGTERM +++
1000  <... wait4 resumed>[{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = 1002
1000  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=1002, si_uid=0, si_status=SIGTERM, si_utime=0, si_stime=0} ---
1000  exit_group(15)                    = ?
1000  +++ exited with 15 +++
`,
  "fp-o5": `1000  pipe([3, 4])                      = 0
1000  fork( <unfinished ...>
1001  gettid()                          = 1001
1000  <... fork resumed>)               = 1001
1000  close(4)                          = 0
1001  close(3 <unfinished ...>
1000  read(3,  <unfinished ...>
1001  <... close resumed>)              = 0
1001  nanosleep({tv_sec=0, tv_nsec=50000000}, NULL) = 0
1001  write(4, "hello", 5)              = 5
1000  <... read resumed>"hello", 16)    = 5
1000  wait4(1001,  <unfinished ...>
1001  exit_group(3)                     = ?
1001  +++ exited with 3 +++
1000  <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 1001
1000  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---
1000  write(1, "hello", 5)              = 5
1000  fork()                            = 1002
1000  wait4(1002,  <unfinished ...>
1002  gettid()                          = 1002
1002  getpid()                          = 1002
1002  kill(1002, SIGTERM)               = 0
1002  --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=1002, si_uid=0} ---
1002  +++ killed by SIGTERM +++
1000  <... wait4 resumed>[{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = 1002
1000  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=1002, si_uid=0, si_status=SIGTERM, si_utime=0, si_stime=0} ---
1000  exit_group(15)                    = ?
1000  +++ exited with 15 +++
`,
  "fp-o6": `1000  pipe([3, 4])                      = 0
1000  fork()                            = 1001
1000  close(4)                          = 0
1000  read(3,  <unfinished ...>
1001  gettid()                          = 1001
1001  close(3)                          = 0
1001  nanosleep({tv_sec=0, tv_nsec=50000000}, NULL) = 0
1001  write(4, "hello", 5)              = 5
1001  exit_group(3 <unfinished ...>
1000  <... read resumed>"hello", 16)    = 5
1001  <... exit_group resumed>)         = ?
1000  wait4(1001,  <unfinished ...>
1001  +++ exited with 3 +++
1000  <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 1001
1000  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---
1000  write(1, "hello", 5)              = 5
1000  fork()                            = 1002
1002  gettid()                          = 1002
1000  wait4(1002,  <unfinished ...>
1002  getpid()                          = 1002
1002  kill(1002, SIGTERM)               = 0
1002  --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=1002, si_uid=0} ---
1002  +++ killed by SIGTERM +++
1000  <... wait4 resumed>[{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = 1002
1000  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=1002, si_uid=0, si_status=SIGTERM, si_utime=0, si_stime=0} ---
1000  exit_group(15)                    = ?
1000  +++ exited with 15 +++
`,
  "fp-e4": `pipe([3, 4])                            = 0
fork()                                  = 1001
[pid  1001] gettid()                    = 1001
[pid  1000] close(4)                    = 0
[pid  1001] close(3 <unfinished ...>
[pid  1000] read(3,  <unfinished ...>
[pid  1001] <... close resumed>)        = 0
[pid  1001] nanosleep({tv_sec=0, tv_nsec=50000000}, NULL) = 0
[pid  1001] write(4, "hello", 5 <unfinished ...>
[pid  1000] <... read resumed>"hello", 16) = 5
[pid  1001] <... write resumed>)        = 5
[pid  1000] wait4(1001,  <unfinished ...>
[pid  1001] exit_group(3)               = ?
[pid  1001] +++ exited with 3 +++
<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 1001
--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---
write(1, "hello", 5)                    = 5
fork()                                  = 1002
[pid  1002] gettid()                    = 1002
[pid  1000] wait4(1002,  <unfinished ...>
[pid  1002] getpid()                    = 1002
[pid  1002] kill(1002, SIGTERM)         = 0
[pid  1002] --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=1002, si_uid=0} ---
[pid  1002] +++ killed by SIGTERM +++
<... wait4 resumed>[{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = 1002
--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=1002, si_uid=0, si_status=SIGTERM, si_utime=0, si_stime=0} ---
exit_group(15)                          = ?
+++ exited with 15 +++
`,
  "fp-e6": `pipe([3, 4])                            = 0
fork( <unfinished ...>
[pid  1001] gettid()                    = 1001
[pid  1000] <... fork resumed>)         = 1001
[pid  1000] close(4)                    = 0
[pid  1000] read(3,  <unfinished ...>
[pid  1001] close(3)                    = 0
[pid  1001] nanosleep({tv_sec=0, tv_nsec=50000000}, NULL) = 0
[pid  1001] write(4, "hello", 5)        = 5
[pid  1000] <... read resumed>"hello", 16) = 5
[pid  1000] wait4(1001,  <unfinished ...>
[pid  1001] exit_group(3)               = ?
[pid  1001] +++ exited with 3 +++
<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 1001
--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---
write(1, "hello", 5)                    = 5
fork( <unfinished ...>
[pid  1002] gettid()                    = 1002
[pid  1000] <... fork resumed>)         = 1002
[pid  1002] getpid( <unfinished ...>
[pid  1000] wait4(1002,  <unfinished ...>
[pid  1002] <... getpid resumed>)       = 1002
[pid  1002] kill(1002, SIGTERM)         = 0
[pid  1002] --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=1002, si_uid=0} ---
[pid  1002] +++ killed by SIGTERM +++
<... wait4 resumed>[{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = 1002
--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=1002, si_uid=0, si_status=SIGTERM, si_utime=0, si_stime=0} ---
exit_group(15)                          = ?
+++ exited with 15 +++
`,
  "fp-a": `1000  pipe([3, 4])  = 0
1000  fork()        = 1001
1000  close(4)      = 0
1000  read(3,  <unfinished ...>
1001  gettid()      = 1001
1001  close(3)      = 0
1001  nanosleep({tv_sec=0, tv_nsec=50000000}, NULL) = 0
1001  write(4, "hello", 5) = 5
1000  <... read resumed>"hello", 16) = 5
1000  wait4(1001,  <unfinished ...>
1001  exit_group(3) = ?
1001  +++ exited with 3 +++
1000  <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 1001
1000  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---
1000  write(1, "hello", 5) = 5
1000  fork( <unfinished ...>
1002  gettid()      = 1002
1000  <... fork resumed>) = 1002
1002  getpid()      = 1002
1002  kill(1002, SIGTERM <unfinished ...>
1000  wait4(1002,  <unfinished ...>
1002  <... kill resumed>) = 0
1002  --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=1002, si_uid=0} ---
1002  +++ killed by SIGTERM +++
1000  <... wait4 resumed>[{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = 1002
1000  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=1002, si_uid=0, si_status=SIGTERM, si_utime=0, si_stime=0} ---
1000  exit_group(15) = ?
1000  +++ exited with 15 +++
`,
  "fp-T": `1000  pipe([3, 4])                      = 0 <0.000013>
1000  fork()                            = 1001 <0.000059>
1001  gettid()                          = 1001 <0.000022>
1000  close(4)                          = 0 <0.000015>
1001  close(3 <unfinished ...>
1000  read(3,  <unfinished ...>
1001  <... close resumed>)              = 0 <0.000019>
1001  nanosleep({tv_sec=0, tv_nsec=50000000}, NULL) = 0 <0.050238>
1001  write(4, "hello", 5)              = 5 <0.000015>
1000  <... read resumed>"hello", 16)    = 5 <0.050375>
1000  wait4(1001,  <unfinished ...>
1001  exit_group(3)                     = ?
1001  +++ exited with 3 +++
1000  <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 1001 <0.000094>
1000  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---
1000  write(1, "hello", 5)              = 5 <0.000008>
1000  fork()                            = 1002 <0.000066>
1000  wait4(1002,  <unfinished ...>
1002  gettid()                          = 1002 <0.001188>
1002  getpid()                          = 1002 <0.000031>
1002  kill(1002, SIGTERM)               = 0 <0.000038>
1002  --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=1002, si_uid=0} ---
1002  +++ killed by SIGTERM +++
1000  <... wait4 resumed>[{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = 1002 <0.004121>
1000  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=1002, si_uid=0, si_status=SIGTERM, si_utime=0, si_stime=0} ---
1000  exit_group(15)                    = ?
1000  +++ exited with 15 +++
`,
  "fp-st": `1000  pipe([3, 4])                      = 0
1000  fork()                            = 1001
1001  gettid()                          = 1001
1000  close(4)                          = 0
1001  close(3)                          = 0
1001  nanosleep({tv_sec=0, tv_nsec=50000000}, NULL) = 0
1000  read(3, "hello", 16)              = 5
1001  write(4, "hello", 5)              = 5
1001  +++ exited with 3 +++
1000  wait4(1001, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 1001
1000  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---
1000  write(1, "hello", 5)              = 5
1000  fork()                            = 1002
1002  gettid()                          = 1002
1002  getpid()                          = 1002
1002  kill(1002, SIGTERM)               = 0
1002  --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=1002, si_uid=0} ---
1002  +++ killed by SIGTERM +++
1000  wait4(1002, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = 1002
1000  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=1002, si_uid=0, si_status=SIGTERM, si_utime=0, si_stime=0} ---
1000  +++ exited with 15 +++
`,
  "fp-nofo": `pipe([3, 4])                            = 0
fork()                                  = 1001
close(4)                                = 0
read(3, "hello", 16)                    = 5
--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---
wait4(1001, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 1001
write(1, "hello", 5)                    = 5
fork()                                  = 1002
--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=1002, si_uid=0, si_status=SIGTERM, si_utime=0, si_stime=0} ---
wait4(1002, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = 1002
exit_group(15)                          = ?
+++ exited with 15 +++
`,
  "th-o1": `1000  pipe([3, 4])                      = 0
1000  clone(child_stack=0x7f0000000001, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|0x400000, parent_tid=[1001], tls=0x7f0000000002, child_tidptr=0x406290) = 1001
1001  write(1, "thread\\n", 7 <unfinished ...>
1000  futex(0x7f0000000003, FUTEX_WAIT_PRIVATE, 2, NULL <unfinished ...>
1001  <... write resumed>)              = 7
1001  futex(0x7f0000000003, FUTEX_WAKE_PRIVATE, 1 <unfinished ...>
1000  <... futex resumed>)              = 0
1001  <... futex resumed>)              = 1
1000  futex(0x406290, FUTEX_WAIT, 1001, NULL <unfinished ...>
1001  exit(0)                           = ?
1000  <... futex resumed>)              = 0
1001  +++ exited with 0 +++
1000  clone(child_stack=0x7f0000000001, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|0x400000, parent_tid=[1002], tls=0x7f0000000002, child_tidptr=0x406290) = 1002
1002  read(3,  <unfinished ...>
1000  nanosleep({tv_sec=0, tv_nsec=50000000}, NULL) = 0
1000  exit_group(0)                     = ?
1002  <... read resumed> <unfinished ...>) = ?
1002  +++ exited with 0 +++
1000  +++ exited with 0 +++
`,
  "th-o2": `1000  pipe([3, 4])                      = 0
1000  clone(child_stack=0x7f0000000001, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|0x400000, parent_tid=[1001], tls=0x7f0000000002, child_tidptr=0x406290) = 1001
1000  futex(0x7f0000000003, FUTEX_WAIT_PRIVATE, 2, NULL <unfinished ...>
1001  write(1, "thread\\n", 7)           = 7
1001  futex(0x7f0000000003, FUTEX_WAKE_PRIVATE, 1 <unfinished ...>
1000  <... futex resumed>)              = 0
1001  <... futex resumed>)              = 1
1000  futex(0x406290, FUTEX_WAIT, 1001, NULL <unfinished ...>
1001  exit(0)                           = ?
1000  <... futex resumed>)              = 0
1001  +++ exited with 0 +++
1000  clone(child_stack=0x7f0000000001, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|0x400000, parent_tid=[1002], tls=0x7f0000000002, child_tidptr=0x406290) = 1002
1000  nanosleep({tv_sec=0, tv_nsec=50000000},  <unfinished ...>
1002  read(3,  <unfinished ...>
1000  <... nanosleep resumed>NULL)      = 0
1000  exit_group(0)                     = ?
1002  <... read resumed> <unfinished ...>) = ?
1002  +++ exited with 0 +++
1000  +++ exited with 0 +++
`,
  "th-e2": `pipe([3, 4])                            = 0
clone(child_stack=0x7f0000000001, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|0x400000, parent_tid=[1001], tls=0x7f0000000002, child_tidptr=0x406290) = 1001
[pid  1000] futex(0x7f0000000003, FUTEX_WAIT_PRIVATE, 2, NULL <unfinished ...>
[pid  1001] write(1, "thread\\n", 7)     = 7
[pid  1001] futex(0x7f0000000003, FUTEX_WAKE_PRIVATE, 1 <unfinished ...>
[pid  1000] <... futex resumed>)        = 0
[pid  1001] <... futex resumed>)        = 1
[pid  1000] futex(0x406290, FUTEX_WAIT, 1001, NULL <unfinished ...>
[pid  1001] exit(0)                     = ?
[pid  1001] +++ exited with 0 +++
<... futex resumed>)                    = 0
clone(child_stack=0x7f0000000001, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|0x400000, parent_tid=[1002], tls=0x7f0000000002, child_tidptr=0x406290) = 1002
[pid  1000] nanosleep({tv_sec=0, tv_nsec=50000000},  <unfinished ...>
[pid  1002] read(3,  <unfinished ...>
[pid  1000] <... nanosleep resumed>NULL) = 0
[pid  1000] exit_group(0)               = ?
[pid  1002] <... read resumed> <unfinished ...>) = ?
[pid  1002] +++ exited with 0 +++
+++ exited with 0 +++
`,
  "th-e3": `pipe([3, 4])                            = 0
clone(child_stack=0x7f0000000001, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|0x400000, parent_tid=[1001], tls=0x7f0000000002, child_tidptr=0x406290) = 1001
[pid  1000] futex(0x7f0000000003, FUTEX_WAIT_PRIVATE, 2, NULL <unfinished ...>
[pid  1001] write(1, "thread\\n", 7)     = 7
[pid  1001] futex(0x7f0000000003, FUTEX_WAKE_PRIVATE, 1 <unfinished ...>
[pid  1000] <... futex resumed>)        = 0
[pid  1001] <... futex resumed>)        = 1
[pid  1000] futex(0x406290, FUTEX_WAIT, 1001, NULL <unfinished ...>
[pid  1001] exit(0)                     = ?
[pid  1001] +++ exited with 0 +++
<... futex resumed>)                    = 0
clone(child_stack=0x7f0000000001, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|0x400000, parent_tid=[1002], tls=0x7f0000000002, child_tidptr=0x406290) = 1002
[pid  1002] read(3,  <unfinished ...>
[pid  1000] nanosleep({tv_sec=0, tv_nsec=50000000}, NULL) = 0
[pid  1000] exit_group(0)               = ?
[pid  1002] <... read resumed> <unfinished ...>) = ?
[pid  1002] +++ exited with 0 +++
+++ exited with 0 +++
`,
  "vf-o1": `1000  vfork( <unfinished ...>
1001  execve("./vforkexec-musl", ["./vforkexec-musl", "child"], 0x7f0000000001 /* 0 vars */ <unfinished ...>
1000  <... vfork resumed>)              = 1001
1000  wait4(1001,  <unfinished ...>
1001  <... execve resumed>)             = 0
1001  write(1, "child\\n", 6)            = 6
1001  exit_group(7)                     = ?
1001  +++ exited with 7 +++
1000  <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 7}], 0, NULL) = 1001
1000  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=0, si_status=7, si_utime=0, si_stime=0} ---
1000  exit_group(0)                     = ?
1000  +++ exited with 0 +++
`,
  "vf-e1": `vfork( <unfinished ...>
[pid  1001] execve("./vforkexec-musl", ["./vforkexec-musl", "child"], 0x7f0000000001 /* 0 vars */ <unfinished ...>
[pid  1000] <... vfork resumed>)        = 1001
[pid  1000] wait4(1001,  <unfinished ...>
[pid  1001] <... execve resumed>)       = 0
[pid  1001] write(1, "child\\n", 6)      = 6
[pid  1001] exit_group(7)               = ?
[pid  1001] +++ exited with 7 +++
<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 7}], 0, NULL) = 1001
--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=0, si_status=7, si_utime=0, si_stime=0} ---
exit_group(0)                           = ?
+++ exited with 0 +++
`,
  "ff-fp.1000": `pipe([3, 4])                            = 0
fork()                                  = 1001
close(4)                                = 0
read(3, "hello", 16)                    = 5
wait4(1001, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 1001
--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---
write(1, "hello", 5)                    = 5
fork()                                  = 1002
wait4(1002, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = 1002
--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=1002, si_uid=0, si_status=SIGTERM, si_utime=0, si_stime=0} ---
exit_group(15)                          = ?
+++ exited with 15 +++
`,
  "ff-fp.1001": `gettid()                                = 1001
close(3)                                = 0
nanosleep({tv_sec=0, tv_nsec=50000000}, NULL) = 0
write(4, "hello", 5)                    = 5
exit_group(3)                           = ?
+++ exited with 3 +++
`,
  "ff-fp.1002": `gettid()                                = 1002
getpid()                                = 1002
kill(1002, SIGTERM)                     = 0
--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=1002, si_uid=0} ---
+++ killed by SIGTERM +++
`,
  "ff-th.1000": `pipe([3, 4])                            = 0
clone(child_stack=0x7f0000000001, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|0x400000, parent_tid=[1001], tls=0x7f0000000002, child_tidptr=0x406290) = 1001
futex(0x7f0000000003, FUTEX_WAIT_PRIVATE, 2, NULL) = 0
futex(0x406290, FUTEX_WAIT, 1001, NULL) = 0
clone(child_stack=0x7f0000000001, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|0x400000, parent_tid=[1002], tls=0x7f0000000002, child_tidptr=0x406290) = 1002
nanosleep({tv_sec=0, tv_nsec=50000000}, NULL) = 0
exit_group(0)                           = ?
+++ exited with 0 +++
`,
  "ff-th.1001": `write(1, "thread\\n", 7)                 = 7
futex(0x7f0000000003, FUTEX_WAKE_PRIVATE, 1) = 1
exit(0)                                 = ?
+++ exited with 0 +++
`,
  "ff-th.1002": `read(3,  <unfinished ...>)              = ?
+++ exited with 0 +++
`,
  "ff-os.1000": `pipe([3, 4])                            = 0
fork()                                  = 1001
close(4)                                = 0
read(3, "hello", 16)                    = 5
--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---
wait4(1001, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 1001
write(1, "hello", 5)                    = 5
fork()                                  = 1002
--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=1002, si_uid=0, si_status=SIGTERM, si_utime=0, si_stime=0} ---
wait4(1002, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = 1002
exit_group(15)                          = ?
+++ exited with 15 +++
`,
};
