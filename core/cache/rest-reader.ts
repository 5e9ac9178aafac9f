// Reads byte ranges of a file that a cache points into (node rests of the parse snapshot): a few
// with one positioned read each, and the whole file once many are asked for (a command that looks
// at every node). The file is named by its inode: one replaced meanwhile is an error, never data.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { CairnError } from '../errors.js';
import type { RestSource } from './snapshot-node.js';

const WHOLE_AFTER = 64;

export class RestReader implements RestSource {
  private reads = 0;
  private all: Buffer | undefined;

  constructor(private readonly file: string, private readonly ino: number) {}

  read(offset: number, length: number): string {
    try {
      if (!this.all && ++this.reads > WHOLE_AFTER) {
        const fd = openSync(this.file, 'r');
        try {
          if (fstatSync(fd).ino !== this.ino) throw new Error('replaced');
          this.all = readFileSync(fd);
        } finally {
          closeSync(fd);
        }
      }
      if (this.all && offset + length <= this.all.length) return this.all.toString('utf8', offset, offset + length);
      const fd = openSync(this.file, 'r');
      try {
        const buf = Buffer.allocUnsafe(length);
        if (fstatSync(fd).ino !== this.ino || readSync(fd, buf, 0, length, offset) !== length) throw new Error('changed');
        return buf.toString('utf8');
      } finally {
        closeSync(fd);
      }
    } catch {
      throw new CairnError('PROJECT_INVALID', `${this.file} changed while this command was reading it`, {
        file: this.file,
        hint: 'run the command again (another cairn command was writing target/ at the same time)',
      });
    }
  }
}
