/* The TurboJPEG decode limit: full-size RGB decodes per second on one thread, of the JPEGs listed on stdin.
 * Built and run by scripts/bench.sh:  cc -O2 decode-limit.c -lturbojpeg -o decode-limit
 * Prints one line: "<images/s> <cpu images/s>" after decoding the list repeatedly for at least SECONDS (argv[1]). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <turbojpeg.h>

static double now(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 3.0;
    size_t count = 0, capacity = 64;
    unsigned char **blobs = malloc(capacity * sizeof *blobs);
    unsigned long *sizes = malloc(capacity * sizeof *sizes);
    char path[4096];
    while (fgets(path, sizeof path, stdin)) {
        path[strcspn(path, "\n")] = 0;
        FILE *f = fopen(path, "rb");
        if (!f) { fprintf(stderr, "cannot open %s\n", path); continue; }
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fseek(f, 0, SEEK_SET);
        if (count == capacity) {
            capacity *= 2;
            blobs = realloc(blobs, capacity * sizeof *blobs);
            sizes = realloc(sizes, capacity * sizeof *sizes);
        }
        blobs[count] = malloc(size);
        sizes[count] = fread(blobs[count], 1, size, f);
        fclose(f);
        count++;
    }
    if (!count) { fprintf(stderr, "no files\n"); return 1; }
    tjhandle tj = tjInitDecompress();
    unsigned char *pixels = NULL;
    size_t pixel_capacity = 0, done = 0;
    double wall0 = now(CLOCK_MONOTONIC), cpu0 = now(CLOCK_PROCESS_CPUTIME_ID), wall = 0;
    while (wall < seconds) {
        for (size_t i = 0; i < count; i++) {
            int w, h, sub, cs;
            if (tjDecompressHeader3(tj, blobs[i], sizes[i], &w, &h, &sub, &cs) != 0) continue;
            size_t need = (size_t)w * h * 3;
            if (need > pixel_capacity) { free(pixels); pixels = malloc(need); pixel_capacity = need; }
            if (tjDecompress2(tj, blobs[i], sizes[i], pixels, w, 0, h, TJPF_RGB, TJFLAG_FASTDCT) == 0) done++;
        }
        wall = now(CLOCK_MONOTONIC) - wall0;
    }
    double cpu = now(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    printf("%.1f %.1f\n", done / wall, done / cpu);
    tjDestroy(tj);
    return 0;
}
