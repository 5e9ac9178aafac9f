// `cairn export airflow --out DIR`: parse the project and write DIR/cairn_<project>.py.
import { join, resolve } from 'node:path';
import type { CommonOptions } from '../api/options.js';
import { loadAndParse } from '../api/project.js';
import { writeFileAtomic } from '../artifacts/paths.js';
import { CairnError } from '../errors.js';
import { airflowDagFile } from './airflow.js';

export interface ExportAirflowOptions extends CommonOptions {
  out: string;
  airflowTests?: string;
}

export function exportAirflow(o: ExportAirflowOptions): { file: string; content: string } {
  const tests = o.airflowTests ?? 'build';
  if (tests !== 'build' && tests !== 'separate') {
    throw new CairnError('USAGE', `--airflow-tests must be \`build\` or \`separate\`, got \`${tests}\``, { hint: 'build: one `cairn build` task per node; separate: `cairn run` then `cairn test`' });
  }
  const p = loadAndParse(o);
  const outDir = resolve(o.out);
  const content = airflowDagFile(p, { tests, outDir, target: o.target });
  const file = join(outDir, `cairn_${p.ctx.project.name}.py`);
  writeFileAtomic(file, content);
  return { file, content };
}
