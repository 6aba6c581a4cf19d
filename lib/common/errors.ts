// Errors are tagged by a string `kind`, not by class, because bundles can carry two
// copies of a class and `instanceof` then lies. Every message says what was expected
// and what was found.

export interface SourcePos {
  readonly line: number; // 1-based
  readonly col: number; // 1-based
  readonly offset: number; // 0-based character offset into the script
}

export type ShoalErrorKind = 'sql' | 'catalog' | 'task' | 'conflict' | 'store' | 'config' | 'noProgress';

export class ShoalError extends Error {
  readonly kind: ShoalErrorKind;
  readonly pos?: SourcePos;
  readonly file?: string;
  readonly retryable: boolean;
  constructor(kind: ShoalErrorKind, message: string, opts: { pos?: SourcePos; file?: string; retryable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = `ShoalError(${kind})`;
    this.kind = kind;
    this.pos = opts.pos;
    this.file = opts.file;
    this.retryable = opts.retryable ?? false;
  }
}

export const sqlError = (message: string, pos?: SourcePos) => new ShoalError('sql', message, { pos });
export const catalogError = (message: string, pos?: SourcePos) => new ShoalError('catalog', message, { pos });
export const taskError = (message: string, retryable: boolean, cause?: unknown) =>
  new ShoalError('task', message, { retryable, cause });
export const conflictError = (message: string) => new ShoalError('conflict', message, { retryable: false });

export function isShoalError(e: unknown): e is ShoalError {
  return typeof e === 'object' && e !== null && typeof (e as { kind?: unknown }).kind === 'string' && e instanceof Error
    && (e as Error).name.startsWith('ShoalError');
}

/** Attaches the script's file name to an error that carries a position but no file. */
export function withFile(e: ShoalError, file: string): ShoalError {
  if (e.file) return e;
  const copy = new ShoalError(e.kind, e.message, { pos: e.pos, file, retryable: e.retryable, cause: e.cause });
  return copy;
}

/** `FILE:LINE:COL: message` as the CLI prints it. */
export function formatError(e: unknown, defaultFile = '<input>'): string {
  if (isShoalError(e)) {
    const where = e.pos ? `${e.file ?? defaultFile}:${e.pos.line}:${e.pos.col}: ` : e.file ? `${e.file}: ` : '';
    return `${where}${e.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}
