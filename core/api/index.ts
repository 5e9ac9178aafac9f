// The programmatic API: everything the CLI does, as typed functions.
export { compile, type CompileResult } from './compile.js';
export { execute, run, build, COMMAND_RESOURCES, type RunOptions, type RunResult } from './run.js';
export { ls, type LsOptions } from './ls.js';
export { debug } from './debug.js';
export { clean } from './clean.js';
export { init } from './init.js';
export { loadAndParse, select } from './project.js';
export type { CommonOptions } from './options.js';
export { CairnError, CairnErrors, isCairnError } from '../errors.js';
export type { RunEvent, RunCounts } from '../execute/events.js';
export type { NodeResult } from '../artifacts/run-results.js';
export { show, type ShowResult } from './show.js';
export { docsGenerate, docsServe, columnLineage, type DocsGenerateOptions, type DocsGenerateResult, type LineageQueryOptions, type LineageQueryResult } from './docs.js';
