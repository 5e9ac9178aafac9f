// The resource kinds besides models, in the order the parse pass runs them. Early parsers add
// ref-able nodes (seeds, snapshots) before refs resolve; late ones attach to resolved nodes (tests).
import type { CairnError } from '../errors.js';
import type { ParsedProject } from './parse-project.js';
import { parseTasks } from '../tasks/parse-tasks.js';

export type NodeParser = (p: ParsedProject, errors: CairnError[]) => void;

export const earlyParsers: NodeParser[] = [parseTasks];
export const lateParsers: NodeParser[] = [];
