// ltrace -S's syscall prototypes: the `SYS_` lines of ltrace 0.7.3's etc/ltrace.conf (Debian's
// /etc/ltrace.conf), without the prefix. A syscall missing here gets ltrace's default prototype,
// `long X(long, long, long, long)` with numbers guessed decimal or hex (output.c,
// build_default_prototype). `+` marks an argument ltrace prints when the call returns;
// `stringN` is a string of at most argument N's value (N = 0: the return value).

/** The types these prototypes use. */
export type LtraceType = 'int' | 'uint' | 'long' | 'ulong' | 'octal' | 'addr' | 'string' | 'string0' | 'string2' | 'string3' | 'void' | 'guess';

export interface LtraceParam {
  type: LtraceType;
  /** Printed at return (`+` in ltrace.conf). */
  out: boolean;
}

export interface LtracePrototype {
  ret: LtraceType;
  params: LtraceParam[];
}

const CONF = `
addr brk(addr)
int close(int)
int execve(string,addr,addr)
void exit(int)
void exit_group(int)
int fork()
int getcwd(+string2,ulong)
int getpid()
int munmap(addr,ulong)
int open(string,int,octal)
int personality(uint)
long read(int,+string0,ulong)
int stat(string,addr)
octal umask(octal)
int uname(addr)
long write(int,string3,ulong)
int sync()
int setxattr(string,string,addr,uint,int)
int lsetxattr(string,string,addr,uint,int)
int fsetxattr(int,string,addr,uint,int)
int getxattr(string,string,addr,uint)
int lgetxattr(string,string,addr,uint)
int fgetxattr(int,string,addr,uint)
int listxattr(string,addr,uint)
int llistxattr(string,addr,uint)
int flistxattr(int,addr,uint)
int removexattr(string,string)
int lremovexattr(string,string)
int fremovexattr(int,string)
int chdir(string)
int fchdir(int)
int chmod(string,octal)
int fchmod(int,octal)
int chown(string,int,int)
int fchown(int,int,int)
int lchown(string,int,int)
int chroot(string)
int dup(int)
int dup2(int,int)
int fdatasync(int)
int fsync(int)
int getpriority(int,int)
int setpriority(int,int,int)
int getrlimit(int,addr)
int setrlimit(int,addr)
int gettimeofday(addr,addr)
int settimeofday(addr,addr)
int setfsgid(int)
int setfsuid(int)
int getuid()
int setuid(int)
int getgid()
int setgid(int)
int getsid(int)
int setsid(int)
int setreuid(int,int)
int setregid(int,int)
int geteuid()
int getegid()
int setpgid(int,int)
int getresuid(addr,addr,addr)
int setresuid(int,int,int)
int getresgid(addr,addr,addr)
int setresgid(int,int,int)
int kill(int,int)
int link(string,string)
int madvise(addr,ulong,int)
int mkdir(string,octal)
int mknod(string,octal,int)
int msync(addr,ulong,int)
int nice(int)
int poll(addr,uint,int)
int readdir(uint,addr,uint)
int readlink(string,string,ulong)
int reboot(int,int,int,addr)
int rename(string,string)
int rmdir(string)
int sigaltstack(addr,addr)
int statfs(string,addr)
int fstatfs(int,addr)
int fstat(int,addr)
int lstat(string,addr)
int stime(addr)
int symlink(string,string)
int sysinfo(addr)
int syslog(int,string,int)
int truncate(string,long)
int ftruncate(int,long)
int mount(string,string,string,ulong,addr)
int umount(string)
int umount2(string,int)
int unlink(string)
int utime(string,addr)
long lseek(int,long,int)
addr signal(int,addr)
int sigaction(int,addr,addr)
int pause()
int sigpending(addr)
int sigprocmask(int,addr,addr)
int sigqueue(int,int,addr)
int sigsuspend(addr)
int wait(addr)
int waitpid(int,addr,int)
ulong readv(int,addr,int)
ulong writev(int,addr,int)
int mprotect(addr,int,int)
int access(string,octal)
`;

const GUESS: LtraceParam = { type: 'guess', out: false };
/** ltrace's default prototype for a syscall ltrace.conf does not describe. */
export const DEFAULT_PROTOTYPE: LtracePrototype = { ret: 'guess', params: [GUESS, GUESS, GUESS, GUESS] };

const PROTOTYPES = new Map<string, LtracePrototype>(
  CONF.trim().split('\n').map((line) => {
    const [, ret, name, list] = /^(\w+) +(\w+)\((.*)\)$/.exec(line)!;
    const params = list === '' ? [] : list.split(',').map((p) => ({ type: p.replace('+', '') as LtraceType, out: p.startsWith('+') }));
    return [name, { ret: ret as LtraceType, params }];
  }),
);

/** The prototype ltrace uses for the syscall it calls `name` (without `SYS_`). */
export function ltracePrototype(name: string): LtracePrototype {
  return PROTOTYPES.get(name) ?? DEFAULT_PROTOTYPE;
}
