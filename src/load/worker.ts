// A load thread: opens its own connections and runs its slice of each phase, sending back counts and histograms.
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../model/errors.js';
import { openDrivers, type KvDriver } from './driver.js';
import { encodeHistogram, runPhaseParts } from './engine.js';
import { serializeParts, type FromWorker, type ToWorker, type WorkerInit } from './runner.js';

const port = parentPort;
if (port === null) throw new Error('the load worker runs only as a worker thread');
const init = workerData as WorkerInit;
const send = (m: FromWorker) => port.postMessage(m);
let drivers: KvDriver[] = [];
let stop: string | null = null;

port.on('message', (m: ToWorker) => {
  if (m.type === 'stop') stop = m.reason;
  else if (m.type === 'close') {
    for (const d of drivers) d.close();
    port.close();
  } else if (m.type === 'phase') {
    stop = null;
    runPhaseParts({
      drivers: drivers.slice(0, m.conns),
      spec: m.spec,
      prefix: m.prefix,
      stopReason: () => stop,
      onSecond: (completed) => send({ type: 'second', completed }),
    }).then(
      (parts) => send({ type: 'parts', parts: serializeParts(parts, encodeHistogram) }),
      (err: unknown) => send({ type: 'error', message: errorMessage(err) }),
    );
  }
});

openDrivers(init.kind, init.connection, init.conns).then(
  (d) => {
    drivers = d;
    send({ type: 'ready' });
  },
  (err: unknown) => send({ type: 'error', message: errorMessage(err) }),
);
