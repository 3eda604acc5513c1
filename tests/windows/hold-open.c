/* A test fixture, never shipped: holds FILE open the way Word, Excel or a PDF reader does
 * (read access, sharing read only, no FILE_SHARE_DELETE), so that Windows refuses to
 * rename over it or delete it, until its standard input closes. Prints "holding" once the
 * file is open. Built by tests/windows/run.sh with mingw-w64. Usage: hold-open.exe FILE */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: hold-open FILE\n");
        return 2;
    }
    HANDLE h = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "cannot open: error %lu\n", GetLastError());
        return 1;
    }
    printf("holding\n");
    fflush(stdout);
    char buf[64];
    while (fread(buf, 1, sizeof buf, stdin) > 0) {
    }
    CloseHandle(h);
    return 0;
}
