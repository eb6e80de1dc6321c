// Worker threads run modules of ours, named as imports name them (the compiled `.js` beside the
// caller). From dist/ that file is the thread's entry. Run from src/ under tsx, the file is the
// `.ts` one, and tsx registers its loader on the main thread only (Node 20), so the thread starts
// at thread-from-source.mjs, which registers tsx for itself and then imports the module.
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const FROM_SOURCE = fileURLToPath(import.meta.url).endsWith('.ts');

/** Starts `module` (the URL of its compiled `.js` file) in a worker thread. */
export function startThread(module: URL, options: Omit<WorkerOptions, 'argv' | 'eval'> = {}): Worker {
  if (!FROM_SOURCE) return new Worker(module, options);
  const source = new URL(module.href.replace(/\.js$/, '.ts'));
  return new Worker(new URL('./thread-from-source.mjs', import.meta.url), { ...options, argv: [source.href] });
}
