// One error type for everything a user can get wrong. Each carries a stable code, where it happened
// and a hint, so the CLI can print a located message instead of a stack trace.

export type ErrorCode =
  | 'YAML_PARSE'
  | 'YAML_ALIAS_LIMIT'
  | 'PROJECT_NOT_FOUND'
  | 'PROJECT_INVALID'
  | 'PROFILE_NOT_FOUND'
  | 'TARGET_NOT_FOUND'
  | 'ENV_VAR_MISSING'
  | 'VAR_MISSING'
  | 'JINJA_SYNTAX'
  | 'JINJA_RENDER'
  | 'REF_NOT_FOUND'
  | 'SOURCE_NOT_FOUND'
  | 'DUPLICATE_NODE'
  | 'CYCLE'
  | 'SELECTOR_INVALID'
  | 'CONFIG_INVALID'
  | 'ADAPTER_UNKNOWN'
  | 'CONNECTION'
  | 'SQL_ERROR'
  | 'USAGE'
  | 'LOCKED'
  | 'NO_RUN_RESULTS'
  | 'SCHEDULE_INVALID'
  | 'INTERNAL';

export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  node?: string;
}

export class CairnError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;
  readonly hint?: string;
  /** Exit code the CLI uses: 2 for project/usage errors, 1 for run-time failures. */
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, opts: ErrorLocation & { hint?: string; cause?: unknown; exitCode?: number } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'CairnError';
    this.code = code;
    this.location = { file: opts.file, line: opts.line, column: opts.column, node: opts.node };
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? (code === 'SQL_ERROR' || code === 'CONNECTION' ? 1 : 2);
  }

  /** Human form: `error[CODE] file:line:col (model x): message\n  hint: ...` */
  format(): string {
    const { file, line, column, node } = this.location;
    let where = file ? file + (line ? `:${line}` + (column ? `:${column}` : '') : '') : '';
    if (node) where = where ? `${where} (${node})` : node;
    const head = `error[${this.code}]${where ? ' ' + where : ''}: ${this.message}`;
    return this.hint ? `${head}\n  hint: ${this.hint}` : head;
  }
}

export function isCairnError(e: unknown): e is CairnError {
  return e instanceof CairnError;
}

/** Several errors found in one pass (the compiler reports all of them, not just the first). */
export class CairnErrors extends CairnError {
  readonly errors: CairnError[];
  constructor(errors: CairnError[]) {
    super(errors[0]!.code, errors.map((e) => e.message).join('; '), { ...errors[0]!.location, hint: errors[0]!.hint, exitCode: Math.max(...errors.map((e) => e.exitCode)) });
    this.errors = errors;
  }
  override format(): string {
    return this.errors.map((e) => e.format()).join('\n');
  }
}

/** Adds what a pass threw to `errors` when it is ours (one or several); rethrows anything else. */
export function addError(errors: CairnError[], e: unknown): void {
  if (e instanceof CairnErrors) errors.push(...e.errors);
  else if (isCairnError(e)) errors.push(e);
  else throw e;
}
