// Which materialization builds a node: resource kinds first (seeds, tests, snapshots), then a
// model's `materialized` config.
import { CairnError } from '../../errors.js';
import type { ProjectNode } from '../../project/types.js';
import { didYouMean } from '../../util/did-you-mean.js';
import type { Materialization } from '../node-context.js';
import { copyInto } from './copy-into.js';
import { incremental } from './incremental.js';
import { reflection } from './reflection.js';
import { table } from './table.js';
import { view } from './view.js';
import { seedMaterialization } from '../../seeds/materialize.js';
import { snapshotMaterialization } from '../../snapshots/materialize.js';
import { testMaterialization } from '../../tests/materialize.js';
import { withHooks } from '../../hooks/model-hooks.js';
import { unitTest } from '../../unit-tests/run.js';
import { taskMaterialization } from '../../tasks/task-materialization.js';

const ephemeral: Materialization = async (nc) => {
  (await nc.compile(false));
  return { status: 'success', message: 'ephemeral: inlined into its consumers' };
};

export const modelMaterializations: Record<string, Materialization> = { table, view, incremental, ephemeral, copy_into: copyInto, reflection };
/** Keyed by resource type, for nodes that are not models. */
export const resourceMaterializations: Partial<Record<string, Materialization>> = {
  seed: (nc) => seedMaterialization(nc),
  test: (nc) => testMaterialization(nc),
  snapshot: (nc) => snapshotMaterialization(nc),
  unit_test: (nc) => unitTest(nc),
  task: (nc) => taskMaterialization(nc),
};

export function materializationFor(node: ProjectNode): Materialization {
  const byType = resourceMaterializations[node.resourceType];
  if (byType) return node.resourceType === 'test' ? byType : withHooks(byType);
  const kind = String(node.config.materialized ?? 'view');
  const m = modelMaterializations[kind];
  if (!m) {
    throw new CairnError('CONFIG_INVALID', `unknown materialization \`${kind}\``, {
      node: node.name,
      file: node.originalFilePath,
      hint: didYouMean(kind, Object.keys(modelMaterializations)) ?? `use one of ${Object.keys(modelMaterializations).join(', ')}`,
      exitCode: 1,
    });
  }
  return withHooks(m);
}
