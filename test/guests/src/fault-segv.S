# Stores to address 0x10, which is never mapped: the kernel answers with SIGSEGV (SEGV_MAPERR).
    .globl _start
    .text
_start:
    mov $1, %eax            # write(1, "about to fault\n", 15)
    mov $1, %edi
    lea message(%rip), %rsi
    mov $15, %edx
    syscall
    movl $42, 0x10          # the faulting store
    mov $60, %eax           # never reached: exit(0)
    xor %edi, %edi
    syscall

    .section .rodata
message:
    .ascii "about to fault\n"
    .section .note.GNU-stack,"",@progbits
