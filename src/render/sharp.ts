// sharp (libvips), loaded once per process. A module of its own: the main thread must load sharp
// before any thread does (lovell/sharp#2263), and it should not load resvg or the drawing code
// for that (renderer.ts).
let sharp: typeof import('sharp').default | undefined;

/** sharp is loaded with the first JPG, not by every process that only might make one. */
export async function loadedSharp(): Promise<typeof import('sharp').default> {
  if (!sharp) {
    const lib = (await import('sharp')).default;
    // One libvips thread per JPG: our images are small, and each extra thread keeps a malloc arena
    // of its own resident on glibc, for little speed.
    lib.cache(false);
    lib.concurrency(1);
    sharp = lib;
  }
  return sharp;
}
