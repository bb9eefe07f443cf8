// Segments of a parallel journal verification (server/store/journal-segments.ts), one at a time,
// for as long as the process lives. Plain JavaScript so a worker can start it under any runner;
// the TypeScript it needs is loaded through tsx, which is what runs the server and the tests.
import { parentPort } from 'node:worker_threads';

const ready = (async () => {
  const { register } = await import('tsx/esm/api');
  register();
  return import('./journal-segment.ts');
})();

parentPort.on('message', async (task) => {
  try {
    const { verifySegment } = await ready;
    const result = await verifySegment(task, (progress) => parentPort.postMessage({ progress }));
    parentPort.postMessage({ result });
  } catch (error) {
    parentPort.postMessage({ error: String(error?.stack ?? error) });
  }
});
