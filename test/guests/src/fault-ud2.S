# Executes UD2, the architecturally undefined instruction: the kernel answers with SIGILL.
    .globl _start
    .text
_start:
    ud2
    .section .note.GNU-stack,"",@progbits
