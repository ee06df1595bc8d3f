/* A 64-bit program that makes i386 syscalls with int $0x80 (Linux's ia32 emulation): write,
   getpid, a write that fails (its -EBADF comes back sign-extended in RAX), a 64-bit syscall in
   between (strace notes each switch of personality), and exit. It checks that int $0x80 leaves
   every register but RAX alone and exits with 0 when all held, else with the number of the
   check that failed. */
        .globl _start
        .text
_start:
        mov     $4, %eax                /* write(1, msg, len) */
        mov     $1, %ebx
        lea     msg(%rip), %rcx
        mov     $msglen, %edx
        mov     $0x1122334455667788, %r8
        mov     %r8, %r9
        mov     %r8, %r10
        mov     %r8, %r11
        mov     %r8, %rsi
        mov     %r8, %rdi
        mov     %r8, %rbp
        int     $0x80
        cmp     $msglen, %rax
        mov     $1, %r12d
        jne     fail
        mov     $0x1122334455667788, %r13
        mov     $2, %r12d
        cmp     %r13, %r8
        jne     fail
        cmp     %r13, %r9
        jne     fail
        cmp     %r13, %r10
        jne     fail
        cmp     %r13, %r11
        jne     fail
        cmp     %r13, %rsi
        jne     fail
        cmp     %r13, %rdi
        jne     fail
        cmp     %r13, %rbp
        jne     fail
        lea     msg(%rip), %r13
        cmp     %r13, %rcx
        jne     fail
        mov     $20, %eax               /* getpid() */
        int     $0x80
        mov     %rax, %r14
        mov     $39, %eax               /* getpid() the 64-bit way: the same pid */
        syscall
        mov     $3, %r12d
        cmp     %rax, %r14
        jne     fail
        mov     $4, %eax                /* write(-1, msg, len): -EBADF, sign-extended */
        mov     $-1, %ebx
        lea     msg(%rip), %rcx
        mov     $msglen, %edx
        int     $0x80
        mov     $4, %r12d
        cmp     $-9, %rax
        jne     fail
        mov     $0xffffffff00000004, %rax   /* the upper half of RAX is not part of the number */
        mov     $1, %ebx
        lea     done(%rip), %rcx
        mov     $donelen, %edx
        int     $0x80
        mov     $5, %r12d
        cmp     $donelen, %rax
        jne     fail
        mov     $1, %eax                /* exit(0) */
        xor     %ebx, %ebx
        int     $0x80
fail:
        mov     $60, %eax
        mov     %r12d, %edi
        syscall

        .data
msg:    .ascii  "hello from int 0x80\n"
        .set    msglen, . - msg
done:   .ascii  "i386 done\n"
        .set    donelen, . - done
