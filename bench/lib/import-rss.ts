import { Worker } from 'node:worker_threads';

/**
 * Samples the process's resident memory every `intervalMs` from a worker thread, so that samples
 * keep coming while the main thread is busy in a long synchronous SQLite statement.
 */
export function startRssSampler(intervalMs = 100) {
  const shared = new SharedArrayBuffer(4);
  const peakKb = new Int32Array(shared);
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const peak = new Int32Array(workerData);
     const sample = () => {
       const kb = Math.round(process.memoryUsage.rss() / 1024);
       if (kb > Atomics.load(peak, 0)) Atomics.store(peak, 0, kb);
     };
     sample();
     setInterval(sample, ${intervalMs});`,
    { eval: true, workerData: shared },
  );
  worker.unref();
  return {
    /** Highest RSS seen since the last reset, in MiB. */
    peakMb: () => Atomics.load(peakKb, 0) / 1024,
    reset: () => Atomics.store(peakKb, 0, Math.round(process.memoryUsage.rss() / 1024)),
    stop: () => worker.terminate(),
  };
}
