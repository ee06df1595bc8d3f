# The classic raw-syscall hello world: no libc, just the syscall instruction.
# RAX holds the syscall number; RDI, RSI, RDX hold the first three arguments.
    .globl _start
    .text
_start:
    mov $1, %eax            # write(
    mov $1, %edi            #   fd 1,
    lea message(%rip), %rsi #   "hello world\n",
    mov $12, %edx           #   12 bytes)
    syscall
    mov $60, %eax           # exit(
    xor %edi, %edi          #   0)
    syscall

    .section .rodata
message:
    .ascii "hello world\n"
    .section .note.GNU-stack,"",@progbits
