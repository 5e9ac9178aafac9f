// Package entry (`import { build } from 'cairn'`): core's API with the built-in adapters bound.
import { adapterRegistry } from './adapters/registry.js';
import * as api from './core/api/index.js';
import type { CommonOptions } from './core/api/options.js';

type WithoutAdapters<T> = Omit<T, 'adapters'> & { adapters?: CommonOptions['adapters'] };
const bind = <T extends { adapters: CommonOptions['adapters'] }>(o: WithoutAdapters<T>): T => ({ adapters: adapterRegistry, ...o }) as T;

export const compile = (o: WithoutAdapters<Parameters<typeof api.compile>[0]>) => api.compile(bind(o));
export const run = (o: WithoutAdapters<api.RunOptions>) => api.run(bind(o));
export const build = (o: WithoutAdapters<api.RunOptions>) => api.build(bind(o));
export const ls = (o: WithoutAdapters<api.LsOptions>) => api.ls(bind(o));
export const loadProject = (o: WithoutAdapters<CommonOptions>) => api.loadAndParse(bind(o));
export { adapterRegistry };
export { CairnError, CairnErrors, isCairnError } from './core/api/index.js';
export type { RunEvent, RunCounts, NodeResult, RunOptions, RunResult, CommonOptions } from './core/api/index.js';
