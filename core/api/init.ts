// `cairn init NAME`: a new project from templates/project, ready to `cairn build` on DuckDB.
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CairnError } from '../errors.js';

export function init(o: { name: string; dir?: string; templatesDir: string }): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(o.name)) {
    throw new CairnError('USAGE', `project name \`${o.name}\` must be letters, digits and underscores`, { hint: 'e.g. cairn init my_project' });
  }
  const dest = resolve(o.dir ?? '.', o.name);
  if (existsSync(dest) && readdirSync(dest).length > 0) {
    throw new CairnError('USAGE', `${dest} already exists and is not empty`, { hint: 'choose another name or remove the folder' });
  }
  cpSync(join(o.templatesDir, 'project'), dest, { recursive: true });
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else writeFileSync(p, readFileSync(p, 'utf8').replace(/__PROJECT_NAME__/g, o.name));
    }
  };
  walk(dest);
  return dest;
}
