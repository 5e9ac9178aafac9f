// The resource kinds besides models, in the order the parse pass runs them. Early parsers add
// ref-able nodes (seeds, snapshots) before refs resolve; late ones attach to resolved nodes (tests).
import type { CairnError } from '../errors.js';
import type { ParsedProject } from './parse-project.js';
import { parseUnitTests } from '../unit-tests/parse.js';
import { parseTasks } from '../tasks/parse-tasks.js';

export type NodeParser = (p: ParsedProject, errors: CairnError[]) => void;

import { parseSeeds } from '../seeds/parse-seeds.js';
import { parseSnapshots } from '../snapshots/parse-snapshots.js';
import { parseGenericTests } from '../tests/generic-tests.js';
import { parseSingularTests } from '../tests/singular-tests.js';
import { checkSchemaKeys } from '../project/schema-keys.js';
import { checkConfigKeys } from '../project/config-key-check.js';

// Wrapped in arrows: these modules import parse-project, which imports this list.
export const earlyParsers: NodeParser[] = [(p, e) => parseSeeds(p, e), (p, e) => parseSnapshots(p, e), (p, e) => parseTasks(p, e)];
export const lateParsers: NodeParser[] = [(p, e) => parseGenericTests(p, e), (p, e) => parseSingularTests(p, e), (p, e) => parseUnitTests(p, e), (p) => checkSchemaKeys(p), (p) => checkConfigKeys(p)];
