import type { Status } from '../../sim/api/types';
import {
  type ApiFailure,
  type CommandError,
  failureMessage,
  plainError,
  statusLine,
  transportErrorText,
  transportMessage,
} from './errors';

/**
 * The errors of the verbs that read manifests (apply, create -f, delete -f, replace), kept in the
 * shape Go builds them, because that shape decides what is printed: the resource builder collects
 * errors into (possibly nested) aggregates, checkErr unwraps an aggregate of one, prints a flat
 * aggregate one error a line (MultipleErrors), and an aggregate nested in another as its Error()
 * text, `[a, b]` on one line.
 */
export type VisitError =
  | CommandError
  | { readonly kind: 'aggregate'; readonly errors: readonly VisitError[] }
  /** A url.Error other than the API server's (`-f https://…`). */
  | { readonly kind: 'url'; readonly op: string; readonly url: string; readonly text: string };

export function aggregate(errors: readonly VisitError[]): VisitError {
  return { kind: 'aggregate', errors };
}

/** cmdutil.AddSourceToErr: `error when creating "x.yaml": <message>`, a StatusError kept one. */
export function withSource(
  f: ApiFailure,
  verb: string,
  source: string,
  request: { readonly method: string; readonly url: string },
): VisitError {
  const where = `error when ${verb} ${JSON.stringify(source)}: `;
  if (f.kind === 'status')
    return { kind: 'status', status: { ...f.status, message: where + f.status.message } };
  return { kind: 'text', text: `${where}${request.method} "${request.url}": ${transportErrorText(f.error)}` };
}

/** A url.Error's Error(): `Get "https://…": dial tcp …: connect: connection refused`. */
export function transportText(f: ApiFailure & { kind: 'transport' }, method = 'Get'): string {
  return `${method} "${f.url}": ${transportErrorText(f.error)}`;
}

/** err.Error() in Go: a StatusError's message, an aggregate's `[a, b]` (flattened, deduplicated). */
function errorText(e: VisitError): string {
  if (e.kind === 'aggregate') {
    const seen: string[] = [];
    const visit = (x: VisitError): void => {
      if (x.kind === 'aggregate') x.errors.forEach(visit);
      else {
        const t = errorText(x);
        if (!seen.includes(t)) seen.push(t);
      }
    };
    if (e.errors.length === 1) return errorText(e.errors[0]!);
    visit(e);
    return seen.length === 1 ? seen[0]! : `[${seen.join(', ')}]`;
  }
  if (e.kind === 'status') return e.status.message;
  if (e.kind === 'transport') return transportText(e);
  if (e.kind === 'url') return `${e.op} ${JSON.stringify(e.url)}: ${e.text}`;
  return e.text;
}

/** MultipleErrors' line for one error: StandardErrorMessage when it has one, else Error(). */
function messageLine(e: VisitError): string {
  if (e.kind === 'status') return statusLine(e.status as Status);
  if (e.kind === 'transport') return transportMessage(e.error);
  if (e.kind === 'url') return `Unable to connect to the server: ${e.text}`;
  return errorText(e);
}

/**
 * checkErr over what a command returns: nothing for no errors; `errors[0]` when there is one,
 * else their aggregate. Returns the exit code.
 */
export function reportVisitErrors(err: (text: string) => void, errors: readonly VisitError[]): number {
  if (errors.length === 0) return 0;
  let top: VisitError = errors.length === 1 ? errors[0]! : aggregate(errors);
  if (top.kind === 'aggregate' && top.errors.length === 1) top = top.errors[0]!;
  if (top.kind === 'aggregate') {
    if (top.errors.length > 0) err(top.errors.map((e) => `${messageLine(e)}\n`).join(''));
    return 1;
  }
  if (top.kind === 'text') err(plainError(top.text));
  else if (top.kind === 'url') err(`${messageLine(top)}\n`);
  else err(failureMessage(top));
  return 1;
}

/**
 * What reading `-f https://…` meets in the lab, which has no way out to the internet: the DNS
 * lookup fails (a url.Error, which checkErr prints as "Unable to connect to the server").
 */
export function urlError(url: string): VisitError {
  const host = (/^https?:\/\/([^/:]+)/.exec(url) ?? [])[1] ?? '';
  return { kind: 'url', op: 'Get', url, text: `dial tcp: lookup ${host} on 127.0.0.53:53: no such host` };
}
