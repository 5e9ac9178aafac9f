// A clock tests move by hand: sleepers wake in time order as `advanceTo` passes their time.
import type { Clock } from '../../core/orchestration/schedule.js';

const tick = () => new Promise<void>((r) => setImmediate(r));

export class FakeClock implements Clock {
  private sleepers: Array<{ at: number; wake: () => void }> = [];
  constructor(private t: number) {}
  now() {
    return this.t;
  }
  sleepUntil(at: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted || at <= this.t) return resolve();
      const onAbort = () => { this.sleepers = this.sleepers.filter((x) => x !== s); resolve(); };
      const s = { at, wake: () => { signal.removeEventListener('abort', onAbort); resolve(); } };
      this.sleepers.push(s);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
  /** Moves time forward to `to`, waking sleepers one by one and letting their code run in between. */
  async advanceTo(to: number, settle: () => Promise<void> = async () => { for (let i = 0; i < 20; i++) await tick(); }) {
    await settle();
    for (let guard = 0; guard < 10_000; guard++) {
      this.sleepers.sort((a, b) => a.at - b.at);
      const s = this.sleepers[0];
      if (!s || s.at > to) break;
      this.sleepers.shift();
      this.t = s.at;
      s.wake();
      await settle();
    }
    this.t = to;
  }
}
