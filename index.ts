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
export const retry = (o: WithoutAdapters<Parameters<typeof api.retry>[0]>) => api.retry(bind(o));
export const backfill = (which: string, o: WithoutAdapters<api.BackfillOptions>) => api.backfill(which, bind(o));
export const state = (o: WithoutAdapters<Parameters<typeof api.state>[0]>) => api.state(bind(o));
export const serveSchedules = (o: WithoutAdapters<api.ServeOptions>) => api.serveSchedules(bind(o));
export const listSchedules = api.listSchedules;
export const loadProject = (o: WithoutAdapters<CommonOptions>) => api.loadAndParse(bind(o));
export { adapterRegistry };
export { CairnError, CairnErrors, isCairnError } from './core/api/index.js';
export type { RunEvent, RunCounts, NodeResult, RunOptions, RunResult, CommonOptions, RetryResult, BackfillResult, ModelIntervals } from './core/api/index.js';
