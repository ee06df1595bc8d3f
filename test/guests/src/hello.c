/* hello world through stdio: musl reaches the kernel through writev, glibc through write. */
#include <stdio.h>

int main(void) {
    printf("hello world\n");
    return 0;
}
