// One segment of a parallel journal verification (server/store/journal-segments.ts). Plain
// JavaScript so a worker can start it under any runner; the TypeScript it needs is loaded
// through tsx, which is what runs the server and the tests.
import { parentPort, workerData } from 'node:worker_threads';

try {
  const { register } = await import('tsx/esm/api');
  register();
  const { verifySegment } = await import('./journal-segment.ts');
  const result = await verifySegment(workerData, (progress) => parentPort.postMessage({ progress }));
  parentPort.postMessage({ result });
} catch (error) {
  parentPort.postMessage({ error: String(error?.stack ?? error) });
}
