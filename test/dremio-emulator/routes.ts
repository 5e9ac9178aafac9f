// Routing types shared by the route files. Patterns match the path after the API prefix
// (`/api/v3` or `/v0/projects/{pid}`), so each handler serves Software and Cloud alike.
import type { IncomingMessage } from 'node:http';
import type { Catalog } from './catalog.js';
import type { Duck } from './duck.js';
import type { Reply } from './http-util.js';
import type { JobStore } from './jobs.js';
import type { ReflectionStore } from './reflections.js';

export interface EmulatorState {
  readonly jobs: JobStore;
  readonly catalog: Catalog;
  readonly duck: Duck;
  readonly reflections: ReflectionStore;
}

export interface RouteCtx {
  readonly req: IncomingMessage;
  readonly rep: Reply;
  readonly user: string;
  readonly api: 'software' | 'cloud';
  /** Capture groups of the route pattern, still URL-encoded. */
  readonly params: string[];
  readonly query: URLSearchParams;
  readonly state: EmulatorState;
  body(): Promise<unknown>;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly pattern: RegExp;
  handle(ctx: RouteCtx): Promise<void>;
}
