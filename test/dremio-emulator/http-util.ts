// Response helpers that reproduce Dremio's wire details: JSON bodies, `{errorMessage, moreInfo}` errors,
// empty bodies for 204 and for the auth filter's 401, and `?pretty` printing.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly moreInfo = '') { super(message); }
}

export interface Reply {
  json(status: number, body: unknown, headers?: Record<string, string>): void;
  error(status: number, errorMessage: string, moreInfo?: string): void;
  empty(status: number): void;
}

export function reply(res: ServerResponse, pretty: boolean): Reply {
  return {
    json(status, body, headers = {}) {
      const text = pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
      res.end(text);
    },
    error(status, errorMessage, moreInfo = '') {
      this.json(status, { errorMessage, moreInfo });
    },
    empty(status) {
      res.writeHead(status, { 'Content-Length': 0 });
      res.end();
    },
  };
}

const MAX_BODY = 16 * 1024 * 1024;

/** Reads a JSON body; an empty body is `undefined` (Dremio clients POST cancel with no body). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'Request body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '' || text === 'null') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, `Unable to process JSON: ${(err as Error).message}`);
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
