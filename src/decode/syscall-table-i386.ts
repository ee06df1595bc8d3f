// The i386 syscall table (Linux's syscall_32.tbl, the numbers INT 0x80 takes): each row's
// number, strace's name, argument count and trace classes, as strace's i386 syscallent.h lists
// them. A row prints with the x86-64 row's argument specs when the two ABIs agree on what the
// arguments mean (SAME_AS_X86_64); the others print the generic way (each argument in hex), with
// a hex result for the mmap calls.

import { RET_HEX } from './arg-kinds.js';
import type { SyscallRow, TraceClass } from './types.js';

/** `nr name nargs classes` (D desc, F file, I ipc, N network, P process, S signal, M memory,
 *  ST stat, LST lstat, FST fstat, STA %%stat, SF statfs, FSF fstatfs, SFA %%statfs, PU pure,
 *  CR creds, CL clock). */
const TABLE = `
0 restart_syscall 0
1 exit 1 P
2 fork 0 P
3 read 3 D
4 write 3 D
5 open 3 D,F
6 close 1 D
7 waitpid 3 P
8 creat 2 D,F
9 link 2 F
10 unlink 1 F
11 execve 3 F,P
12 chdir 1 F
13 time 1 CL
14 mknod 3 F
15 chmod 2 F
16 lchown 3 F
17 break 0 M
18 oldstat 2 F,ST,STA
19 lseek 3 D
20 getpid 0 PU
21 mount 5 F
22 umount 1 F
23 setuid 1 CR
24 getuid 0 CR,PU
25 stime 1
26 ptrace 4
27 alarm 1
28 oldfstat 2 D,FST,STA
29 pause 0 S
30 utime 2 F
31 stty 2
32 gtty 2
33 access 2 F
34 nice 1
35 ftime 0
36 sync 0
37 kill 2 S,P
38 rename 2 F
39 mkdir 2 F
40 rmdir 1 F
41 dup 1 D
42 pipe 1 D
43 times 1
44 prof 0
45 brk 1 M
46 setgid 1 CR
47 getgid 0 CR,PU
48 signal 2 S
49 geteuid 0 CR,PU
50 getegid 0 CR,PU
51 acct 1 F
52 umount2 2 F
53 lock 0
54 ioctl 3 D
55 fcntl 3 D
56 mpx 0
57 setpgid 2
58 ulimit 2
59 oldolduname 1
60 umask 1
61 chroot 1 F
62 ustat 2 SFA
63 dup2 2 D
64 getppid 0 PU
65 getpgrp 0 PU
66 setsid 0
67 sigaction 3 S
68 sgetmask 0 S
69 ssetmask 1 S
70 setreuid 2 CR
71 setregid 2 CR
72 sigsuspend 3 S
73 sigpending 1 S
74 sethostname 2
75 setrlimit 2
76 getrlimit 2
77 getrusage 2
78 gettimeofday 2 CL
79 settimeofday 2 CL
80 getgroups 2 CR
81 setgroups 2 CR
82 select 1 D
83 symlink 2 F
84 oldlstat 2 F,LST,STA
85 readlink 3 F
86 uselib 1 F
87 swapon 2 F
88 reboot 4
89 readdir 3 D
90 mmap 1 D,M
91 munmap 2 M
92 truncate 2 F
93 ftruncate 2 D
94 fchmod 2 D
95 fchown 3 D
96 getpriority 2
97 setpriority 3
98 profil 4
99 statfs 2 F,SF,SFA
100 fstatfs 2 D,FSF,SFA
101 ioperm 3
102 socketcall 2 D
103 syslog 3
104 setitimer 3
105 getitimer 2
106 stat 2 F,ST,STA
107 lstat 2 F,LST,STA
108 fstat 2 D,FST,STA
109 olduname 1
110 iopl 1
111 vhangup 0
112 idle 0
113 vm86old 1
114 wait4 4 P
115 swapoff 1 F
116 sysinfo 1
117 ipc 6 I
118 fsync 1 D
119 sigreturn 0 S
120 clone 5 P
121 setdomainname 2
122 uname 1
123 modify_ldt 3
124 adjtimex 1 CL
125 mprotect 3 M
126 sigprocmask 3 S
127 create_module 2
128 init_module 3
129 delete_module 2
130 get_kernel_syms 1
131 quotactl 4 F
132 getpgid 1
133 fchdir 1 D
134 bdflush 2
135 sysfs 3
136 personality 1
137 afs_syscall 5
138 setfsuid 1 CR
139 setfsgid 1 CR
140 _llseek 5 D
141 getdents 3 D
142 _newselect 5 D
143 flock 2 D
144 msync 3 M
145 readv 3 D
146 writev 3 D
147 getsid 1
148 fdatasync 1 D
149 _sysctl 1
150 mlock 2 M
151 munlock 2 M
152 mlockall 1 M
153 munlockall 0 M
154 sched_setparam 2
155 sched_getparam 2
156 sched_setscheduler 3
157 sched_getscheduler 1
158 sched_yield 0
159 sched_get_priority_max 1
160 sched_get_priority_min 1
161 sched_rr_get_interval 2
162 nanosleep 2
163 mremap 5 M
164 setresuid 3 CR
165 getresuid 3 CR
166 vm86 5
167 query_module 5
168 poll 3 D
169 nfsservctl 3
170 setresgid 3 CR
171 getresgid 3 CR
172 prctl 5 CR
173 rt_sigreturn 0 S
174 rt_sigaction 4 S
175 rt_sigprocmask 4 S
176 rt_sigpending 2 S
177 rt_sigtimedwait 4 S
178 rt_sigqueueinfo 3 S,P
179 rt_sigsuspend 2 S
180 pread64 5 D
181 pwrite64 5 D
182 chown 3 F
183 getcwd 2 F
184 capget 2 CR
185 capset 2 CR
186 sigaltstack 2 S
187 sendfile 4 D,N
188 getpmsg 5 N
189 putpmsg 5 N
190 vfork 0 P
191 ugetrlimit 2
192 mmap2 6 D,M
193 truncate64 3 F
194 ftruncate64 3 D
195 stat64 2 F,ST,STA
196 lstat64 2 F,LST,STA
197 fstat64 2 D,FST,STA
198 lchown32 3 F
199 getuid32 0 CR,PU
200 getgid32 0 CR,PU
201 geteuid32 0 CR,PU
202 getegid32 0 CR,PU
203 setreuid32 2 CR
204 setregid32 2 CR
205 getgroups32 2 CR
206 setgroups32 2 CR
207 fchown32 3 D
208 setresuid32 3 CR
209 getresuid32 3 CR
210 setresgid32 3 CR
211 getresgid32 3 CR
212 chown32 3 F
213 setuid32 1 CR
214 setgid32 1 CR
215 setfsuid32 1 CR
216 setfsgid32 1 CR
217 pivot_root 2 F
218 mincore 3 M
219 madvise 3 M
220 getdents64 3 D
221 fcntl64 3 D
224 gettid 0 PU
225 readahead 4 D
226 setxattr 5 F
227 lsetxattr 5 F
228 fsetxattr 5 D
229 getxattr 4 F
230 lgetxattr 4 F
231 fgetxattr 4 D
232 listxattr 3 F
233 llistxattr 3 F
234 flistxattr 3 D
235 removexattr 2 F
236 lremovexattr 2 F
237 fremovexattr 2 D
238 tkill 2 S,P
239 sendfile64 4 D,N
240 futex 6
241 sched_setaffinity 3
242 sched_getaffinity 3
243 set_thread_area 1
244 get_thread_area 1
245 io_setup 2 M
246 io_destroy 1 M
247 io_getevents 5
248 io_submit 3
249 io_cancel 3
250 fadvise64 5 D
252 exit_group 1 P
253 lookup_dcookie 4
254 epoll_create 1 D
255 epoll_ctl 4 D
256 epoll_wait 4 D
257 remap_file_pages 5 M
258 set_tid_address 1
259 timer_create 3
260 timer_settime 4
261 timer_gettime 2
262 timer_getoverrun 1
263 timer_delete 1
264 clock_settime 2 CL
265 clock_gettime 2 CL
266 clock_getres 2 CL
267 clock_nanosleep 4
268 statfs64 3 F,SF,SFA
269 fstatfs64 3 D,FSF,SFA
270 tgkill 3 S,P
271 utimes 2 F
272 fadvise64_64 6 D
273 vserver 5
274 mbind 6 M
275 get_mempolicy 5 M
276 set_mempolicy 3 M
277 mq_open 4 D
278 mq_unlink 1
279 mq_timedsend 5 D
280 mq_timedreceive 5 D
281 mq_notify 2 D
282 mq_getsetattr 3 D
283 kexec_load 4
284 waitid 5 P
286 add_key 5
287 request_key 4
288 keyctl 5
289 ioprio_set 3
290 ioprio_get 2
291 inotify_init 0 D
292 inotify_add_watch 3 D,F
293 inotify_rm_watch 2 D
294 migrate_pages 4 M
295 openat 4 D,F
296 mkdirat 3 D,F
297 mknodat 4 D,F
298 fchownat 5 D,F
299 futimesat 3 D,F
300 fstatat64 4 D,F,FST,STA
301 unlinkat 3 D,F
302 renameat 4 D,F
303 linkat 5 D,F
304 symlinkat 3 D,F
305 readlinkat 4 D,F
306 fchmodat 3 D,F
307 faccessat 3 D,F
308 pselect6 6 D
309 ppoll 5 D
310 unshare 1
311 set_robust_list 2
312 get_robust_list 3
313 splice 6 D
314 sync_file_range 6 D
315 tee 4 D
316 vmsplice 4 D
317 move_pages 6 M
318 getcpu 3
319 epoll_pwait 6 D
320 utimensat 4 D,F
321 signalfd 3 D,S
322 timerfd_create 2 D
323 eventfd 1 D
324 fallocate 6 D
325 timerfd_settime 4 D
326 timerfd_gettime 2 D
327 signalfd4 4 D,S
328 eventfd2 2 D
329 epoll_create1 1 D
330 dup3 3 D
331 pipe2 2 D
332 inotify_init1 1 D
333 preadv 5 D
334 pwritev 5 D
335 rt_tgsigqueueinfo 4 P,S
336 perf_event_open 5 D
337 recvmmsg 5 N
338 fanotify_init 2 D
339 fanotify_mark 6 D,F
340 prlimit64 4
341 name_to_handle_at 5 D,F
342 open_by_handle_at 3 D
343 clock_adjtime 2 CL
344 syncfs 1 D
345 sendmmsg 4 N
346 setns 2 D
347 process_vm_readv 6
348 process_vm_writev 6
349 kcmp 5
350 finit_module 3 D
351 sched_setattr 3
352 sched_getattr 4
353 renameat2 5 D,F
354 seccomp 3
355 getrandom 3
356 memfd_create 2 D
357 bpf 3 D
358 execveat 5 D,F,P
359 socket 3 N
360 socketpair 4 N
361 bind 3 N
362 connect 3 N
363 listen 2 N
364 accept4 4 N
365 getsockopt 5 N
366 setsockopt 5 N
367 getsockname 3 N
368 getpeername 3 N
369 sendto 6 N
370 sendmsg 3 N
371 recvfrom 6 N
372 recvmsg 3 N
373 shutdown 2 N
374 userfaultfd 1 D
375 membarrier 3
376 mlock2 3 M
377 copy_file_range 6 D
378 preadv2 6 D
379 pwritev2 6 D
380 pkey_mprotect 4 M
381 pkey_alloc 2
382 pkey_free 1
383 statx 5 D,F,FST,STA
384 arch_prctl 2
385 io_pgetevents 6
386 rseq 4
393 semget 3 I
394 semctl 4 I
395 shmget 3 I
396 shmctl 3 I
397 shmat 3 I,M
398 shmdt 1 I,M
399 msgget 2 I
400 msgsnd 4 I
401 msgrcv 5 I
402 msgctl 3 I
403 clock_gettime64 2 CL
404 clock_settime64 2 CL
405 clock_adjtime64 2 CL
406 clock_getres_time64 2 CL
407 clock_nanosleep_time64 4
408 timer_gettime64 2
409 timer_settime64 4
410 timerfd_gettime64 2 D
411 timerfd_settime64 4 D
412 utimensat_time64 4 D,F
413 pselect6_time64 6 D
414 ppoll_time64 5 D
416 io_pgetevents_time64 6
417 recvmmsg_time64 5 N
418 mq_timedsend_time64 5 D
419 mq_timedreceive_time64 5 D
420 semtimedop_time64 4 I
421 rt_sigtimedwait_time64 4 S
422 futex_time64 6
423 sched_rr_get_interval_time64 2
424 pidfd_send_signal 4 D,S,P
425 io_uring_setup 2 D
426 io_uring_enter 6 D,S
427 io_uring_register 4 D,M
428 open_tree 3 D,F
429 move_mount 5 D,F
430 fsopen 2 D
431 fsconfig 5 D,F
432 fsmount 3 D
433 fspick 3 D,F
434 pidfd_open 2 D
435 clone3 2 P
436 close_range 3
437 openat2 4 D,F
438 pidfd_getfd 3 D
439 faccessat2 4 D,F
440 process_madvise 5 D
441 epoll_pwait2 6 D
442 mount_setattr 5 D,F
443 quotactl_fd 4 D
444 landlock_create_ruleset 3 D
445 landlock_add_rule 4 D
446 landlock_restrict_self 2 D
447 memfd_secret 1 D
448 process_mrelease 2 D
449 futex_waitv 5
450 set_mempolicy_home_node 4 M
451 cachestat 4 D
452 fchmodat2 4 D,F
453 map_shadow_stack 3 M
454 futex_wake 4
455 futex_wait 6
456 futex_requeue 4
457 statmount 4
458 listmount 4
459 lsm_get_self_attr 4
460 lsm_set_self_attr 4
461 lsm_list_modules 3
462 mseal 3 M
463 setxattrat 6 D,F
464 getxattrat 6 D,F
465 listxattrat 5 D,F
466 removexattrat 4 D,F
467 open_tree_attr 5 D,F
468 file_getattr 5 D,F
469 file_setattr 5 D,F
470 listns 4
471 rseq_slice_yield 0
`;

const CLASS_CODES: Readonly<Record<string, TraceClass>> = {
  D: 'desc', F: 'file', I: 'ipc', N: 'network', P: 'process', S: 'signal', M: 'memory', ST: 'stat', LST: 'lstat',
  FST: 'fstat', STA: 'stat_like', SF: 'statfs', FSF: 'fstatfs', SFA: 'statfs_like', PU: 'pure', CR: 'creds', CL: 'clock',
};

/**
 * i386 calls whose arguments are the x86-64 call's (ints, pointers, sizes, and structs laid out
 * alike), by i386 name and the x86-64 name when it differs: they print with its specs.
 */
export const SAME_AS_X86_64: Readonly<Record<string, string>> = Object.fromEntries([
  ...('restart_syscall exit fork read write open close creat link unlink chdir chmod getpid access sync kill rename ' +
    'mkdir rmdir dup pipe brk umask chroot dup2 getppid getpgrp setsid symlink readlink munmap fchmod fsync fchdir ' +
    'getpgid getsid fdatasync mlock munlock mlockall munlockall sched_yield mremap getcwd mincore madvise msync ' +
    'getdents64 gettid tkill exit_group set_tid_address tgkill openat mkdirat unlinkat renameat linkat symlinkat ' +
    'readlinkat fchmodat faccessat dup3 pipe2 prlimit64 syncfs renameat2 getrandom close_range faccessat2 mprotect ' +
    'uname ioctl alarm pause vhangup vfork getuid getgid geteuid getegid mlock2 memfd_create memfd_secret flock tee ' +
    'inotify_init inotify_init1 inotify_add_watch inotify_rm_watch getxattr lgetxattr fgetxattr setxattr lsetxattr ' +
    'fsetxattr listxattr llistxattr flistxattr removexattr lremovexattr fremovexattr')
    .split(' ')
    .map((name) => [name, name]),
  ['getuid32', 'getuid'],
  ['getgid32', 'getgid'],
  ['geteuid32', 'geteuid'],
  ['getegid32', 'getegid'],
  ['clock_gettime64', 'clock_gettime'],
  ['clock_getres_time64', 'clock_getres'],
  ['clock_nanosleep_time64', 'clock_nanosleep'],
  ['utimensat_time64', 'utimensat'],
]);

/** The i386 rows, ascending; `like(name)` gives the x86-64 row a row borrows its specs from. */
export function buildI386Table(like: (name: string) => SyscallRow | undefined): SyscallRow[] {
  const rows: SyscallRow[] = [];
  for (const line of TABLE.trim().split('\n')) {
    const [nr, name, nargs, codes] = line.split(' ');
    const classes = codes ? codes.split(',').map((c) => CLASS_CODES[c]) : [];
    const row: { -readonly [K in keyof SyscallRow]: SyscallRow[K] } = { nr: Number(nr), name, nargs: Number(nargs), classes };
    const same = SAME_AS_X86_64[name];
    const model = same === undefined ? undefined : like(same);
    if (model?.args !== undefined) row.args = model.args;
    if (model?.ret !== undefined) row.ret = model.ret;
    if (model?.noReturn || name === 'exit' || name === 'exit_group') row.noReturn = true;
    if (name === 'mmap' || name === 'mmap2') row.ret = RET_HEX;
    rows.push(row);
  }
  return rows;
}
