# A 32-bit (i386) hello world through int $0x80: emtrace must refuse it with a clear error.
    .globl _start
    .text
_start:
    mov $4, %eax            # write(
    mov $1, %ebx            #   fd 1,
    mov $message, %ecx      #   "hello world\n",
    mov $12, %edx           #   12 bytes)
    int $0x80
    mov $1, %eax            # exit(
    xor %ebx, %ebx          #   0)
    int $0x80

    .section .rodata
message:
    .ascii "hello world\n"
    .section .note.GNU-stack,"",@progbits
