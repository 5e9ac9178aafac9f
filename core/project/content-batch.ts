// What the read worker (read-worker.ts) posts to ContentPrefetch (content-prefetch.ts).

/** Files per batch: large enough that messages are few, small enough that the first comes soon. */
export const BATCH = 64;

export interface ReadBatch {
  batch: number;
  /** Per file of the batch, in order: its text and stat key, or null where it could not be read. */
  files: Array<[text: string, statKey: string] | null>;
}
