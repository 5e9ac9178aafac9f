// Schema YAML parsed in a worker thread (SchemaParse) must give what the main thread's parse gives,
// and a file the worker cannot parse still gets the main thread's located error.
import { describe, expect, it } from 'vitest';
import { YamlValueCache } from '../core/cache/yaml-cache.js';
import type { SourceFile } from '../core/project/discover.js';
import { readSchemaFiles, SchemaParse } from '../core/project/schema-yaml.js';

const file = (path: string, content: string): SourceFile => ({ path, relPath: path, root: 'models', content });

const good = [
  file('models/a.yml', 'version: 2\nmodels:\n  - name: a\n    description: "A"\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n'),
  file('models/b.yml', 'version: 2\nsources:\n  - name: raw\n    tables: [{name: events}]\nmodels:\n  - name: b\n    config: {materialized: table}\n'),
  // Merge keys are left to the main thread's parser.
  file('models/c.yml', 'version: 2\nx: &cfg {materialized: view}\nmodels:\n  - name: c\n    config:\n      <<: *cfg\n'),
];

const plain = (s: ReturnType<typeof readSchemaFiles>) => JSON.stringify({ files: s.files.map((f) => [f.file, f.value]), patches: s.patches.map((p) => ({ ...p, raw: undefined })) });

describe('schema YAML parsed in a worker', () => {
  it('gives the same files and patches as parsing on the main thread', () => {
    const inWorker = new SchemaParse(good, YamlValueCache.disabled(), 0).get();
    const inline = readSchemaFiles(good);
    expect(plain(inWorker)).toBe(plain(inline));
    expect(inWorker.patches.map((p) => p.name)).toEqual(['a', 'b', 'c']);
    expect(inWorker.patches.find((p) => p.name === 'c')!.config).toEqual({ materialized: 'view' });
    // Lines are located lazily from the text, as on the main thread.
    expect(inWorker.patches.find((p) => p.name === 'b')!.line).toBe(6);
  });

  it('leaves a malformed file to the main thread, which reports file, line and column', () => {
    const bad = file('models/bad.yml', 'version: 2\nmodels:\n  - name: x\n   description: oops\n');
    expect(() => new SchemaParse([...good, bad], YamlValueCache.disabled(), 0).get()).toThrow(
      expect.objectContaining({ code: 'YAML_PARSE', location: expect.objectContaining({ file: 'models/bad.yml', line: 4 }) }),
    );
  });
});
