/* An old static binary's way to the time: calling the vsyscall page's entries at
   0xffffffffff600000 (gettimeofday), +0x400 (time) and +0x800 (getcpu), which Linux emulates
   (vsyscall=xonly). Checks what they return and exits 0, or the number of the failed check. */
        .globl _start
        .text
_start:
        sub     $40, %rsp
        lea     (%rsp), %rdi            /* gettimeofday(&tv, NULL) */
        xor     %esi, %esi
        mov     $0xffffffffff600000, %rax
        call    *%rax
        mov     $1, %r12d
        test    %rax, %rax
        jnz     fail
        xor     %edi, %edi              /* time(NULL) */
        mov     $0xffffffffff600400, %rax
        call    *%rax
        mov     $2, %r12d
        /* tv.tv_sec - 1 <= time <= tv.tv_sec + 1: Linux's time() reads the coarse clock,
           which can still be a tick behind gettimeofday just after a second turns. */
        mov     (%rsp), %rbx
        dec     %rbx
        cmp     %rbx, %rax
        jl      fail
        add     $2, %rbx
        cmp     %rbx, %rax
        jg      fail
        lea     16(%rsp), %rdi          /* time(&t): the same value stored */
        mov     $0xffffffffff600400, %rax
        call    *%rax
        mov     $3, %r12d
        cmp     16(%rsp), %rax
        jne     fail
        movl    $-1, 24(%rsp)           /* getcpu(&cpu, NULL, NULL) */
        lea     24(%rsp), %rdi
        xor     %esi, %esi
        xor     %edx, %edx
        mov     $0xffffffffff600800, %rax
        call    *%rax
        mov     $4, %r12d
        test    %rax, %rax
        jnz     fail
        cmpl    $1024, 24(%rsp)
        jae     fail
        mov     $1, %eax                /* write(1, "vsyscall ok\n", 12) */
        mov     $1, %edi
        lea     msg(%rip), %rsi
        mov     $12, %edx
        syscall
        mov     $60, %eax
        xor     %edi, %edi
        syscall
fail:
        mov     $60, %eax
        mov     %r12d, %edi
        syscall

        .data
msg:    .ascii  "vsyscall ok\n"
