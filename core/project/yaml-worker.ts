// Worker side of SchemaParse (schema-yaml.ts): parses schema YAML files with js-yaml while the main
// thread compiles model templates. A file it cannot parse comes back as null and the main thread
// parses it again, so errors keep their locations.
import jsYaml from 'js-yaml';
import { workerData, type MessagePort } from 'node:worker_threads';
import { hasAnchor } from './yaml-aliases.js';

const { files, port, flag } = workerData as { files: Array<{ path: string; text: string }>; port: MessagePort; flag: SharedArrayBuffer };
const values = files.map(({ path, text }) => {
  // Merge keys and anchors: the main thread's parser decides (and bounds alias expansion).
  if (text.includes('<<') || hasAnchor(text)) return null;
  try {
    return { value: jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: path }) ?? {} };
  } catch {
    return null;
  }
});
port.postMessage(values);
const done = new Int32Array(flag);
Atomics.store(done, 0, 1);
Atomics.notify(done, 0);
