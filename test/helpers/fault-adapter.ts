// A fault-injecting wrapper around a real adapter provider: the engine is real, only the chosen
// nodes' materialization statements fail the given number of times with the given message first.
import type { Adapter, AdapterProvider, ExecOptions } from '../../adapters/adapter.js';

export interface Fault {
  /** Model name (the last part of the unique id). */
  node: string;
  /** How many attempts fail before the real statements run (Infinity: always). */
  times: number;
  /** Engine-style message; the real adapter's classifyError decides whether it is transient. */
  message: string;
}

export interface FaultProvider extends AdapterProvider {
  /** executeAll calls seen per model name (each is one materialization attempt). */
  calls: Map<string, number>;
}

export function faultyProvider(inner: AdapterProvider, faults: Fault[]): FaultProvider {
  const calls = new Map<string, number>();
  const failed = new Map<string, number>();
  const matching = (opts?: ExecOptions) => {
    const name = opts?.nodeId?.split('.').pop();
    return name === undefined ? undefined : faults.find((f) => f.node === name);
  };
  return {
    calls,
    dialect: (t) => inner.dialect(t),
    connect(target, ctx) {
      const real = inner.connect(target, ctx);
      // Everything else is the real adapter's, run with `this` = wrapped: a call on `real` itself
      // would see none of the state `wrapped.open()` set (DuckDB: its instance), open a second
      // database instance on the same file and lose writes between the two.
      const wrapped: Adapter = Object.create(real);
      const realExecuteAll = real.executeAll;
      wrapped.executeAll = async (statements, opts) => {
        const name = opts?.nodeId?.split('.').pop();
        if (name) calls.set(name, (calls.get(name) ?? 0) + 1);
        const f = matching(opts);
        if (f && (failed.get(f.node) ?? 0) < f.times) {
          failed.set(f.node, (failed.get(f.node) ?? 0) + 1);
          throw new Error(f.message);
        }
        return realExecuteAll.call(wrapped, statements, opts);
      };
      return wrapped;
    },
  };
}
