#!/usr/bin/env bash
# Builds the guest programs the tests and the benchmark run (npm run build:guests).
# Needs gcc and musl-gcc (Debian: gcc, musl-tools). The binaries are committed so npm test needs
# no compiler; rebuild them only when a source changes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$here/src
out=$here/bin
mkdir -p "$out"
cflags=(-O2 -g0 -fno-asynchronous-unwind-tables)

# The raw-syscall hello world: no libc, no start files.
gcc -nostdlib -static -o "$out/hello-asm" "$src/hello-asm.S"
# Guests that fault on purpose: the signal lines and the 128+N exit status.
gcc -nostdlib -static -o "$out/fault-segv" "$src/fault-segv.S"
gcc -nostdlib -static -o "$out/fault-ud2" "$src/fault-ud2.S"
# 64-bit code that makes i386 syscalls with int $0x80, and an old binary calling the vsyscall page.
gcc -nostdlib -static -o "$out/int80" "$src/int80.S"
gcc -nostdlib -static -o "$out/vsyscall" "$src/vsyscall.S"
# A 32-bit executable, which emtrace must refuse with a clear error (assembled without libc, so no
# multilib toolchain is needed).
as --32 -o "$out/hello-i386.o" "$src/hello-i386.S"
ld -m elf_i386 -o "$out/hello-i386" "$out/hello-i386.o"
rm "$out/hello-i386.o"

# (-lm is for float; a static link of the others does not pull anything from libm.)
for prog in hello args files memory cpu-loop syscall-loop determinism input float seccomp selfmod fsops fdops procfs sandbox tty mm mm-fault vdso signals identity syscalls exec children eventfds filex sockets forkexec forkpipe threads vforkexec forkbomb sleeps sockfork pthreads threadbomb sessions jobs pollfork; do
  musl-gcc "${cflags[@]}" -static -o "$out/$prog-musl" "$src/$prog.c" -lm
  gcc "${cflags[@]}" -static -o "$out/$prog-glibc" "$src/$prog.c" -lm
done

# A static position-independent executable (ET_DYN, loaded at a base address of our choosing).
# (Debian's musl-gcc wrapper cannot link static-pie: it yields a dynamically linked file.)
gcc "${cflags[@]}" -static-pie -fPIE -o "$out/hello-glibc-pie" "$src/hello.c"

ls -l "$out"
