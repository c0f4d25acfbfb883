import type { Status } from '../../sim/api/types';
import { isStatus } from '../../sim/api/types';
import type { ApiOutcome, TransportError } from '../../sim/apiserver/request';
import { isTransportError } from '../../sim/apiserver/request';
import { API_ENDPOINT } from '../../sim/client/loadBalancer';

/**
 * Errors the way kubectl reports them (kubectl `cmd/util/helpers.go`: checkErr and
 * StandardErrorMessage). Every message here is complete text for stderr, ending in a newline.
 */

/** A failed API call: a Status from the server, or no response at all. */
export type ApiFailure =
  | { readonly kind: 'status'; readonly status: Status }
  | { readonly kind: 'transport'; readonly error: TransportError; readonly url: string };

/** What the server URL looks like in client-go errors. */
export const SERVER_URL = `https://${API_ENDPOINT}`;

/** The Go error text of a transport failure, as net/http reports it inside a url.Error. */
export function transportErrorText(error: TransportError): string {
  return error.transport === 'connection-refused'
    ? `dial tcp ${API_ENDPOINT}: connect: connection refused`
    : 'EOF';
}

/**
 * Turns a response into a failure, or undefined on success. Bodies that are not a Status get
 * client-go's generic messages for their HTTP code.
 */
export function failureOf(
  outcome: ApiOutcome,
  what: { verb: string; resource: string; name?: string },
  url: string,
): ApiFailure | undefined {
  if (isTransportError(outcome)) return { kind: 'transport', error: outcome, url };
  if (outcome.code < 300) return undefined;
  if (isStatus(outcome.body) && (outcome.body.message !== '' || outcome.body.reason !== '')) {
    return { kind: 'status', status: outcome.body };
  }
  return { kind: 'status', status: genericStatus(outcome.code, what) };
}

/** apimachinery's NewGenericServerResponse messages, for error codes without a Status body. */
function genericStatus(code: number, what: { verb: string; resource: string; name?: string }): Status {
  const target = `${what.verb} ${what.resource}${what.name ? ` ${what.name}` : ''}`;
  const table: Record<number, [string, string]> = {
    400: ['BadRequest', 'the server rejected our request for an unknown reason'],
    401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
    403: ['Forbidden', ''],
    404: ['NotFound', 'the server could not find the requested resource'],
    409: ['Conflict', 'the server reported a conflict'],
    422: ['Invalid', 'the server rejected our request due to an error in our request'],
    429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
    500: ['InternalError', 'an error on the server ("") has prevented the request from succeeding'],
    503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
    504: [
      'Timeout',
      'the server was unable to return a response in the time allotted, but may still be processing the request',
    ],
  };
  const [reason, text] = table[code] ?? [
    'InternalError',
    `an error on the server ("unknown") has prevented the request from succeeding`,
  ];
  return {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    reason,
    code,
    message: `${text} (${target})`,
  };
}

/** The text checkErr prints for a failure (with the trailing newline). */
export function failureMessage(f: ApiFailure): string {
  if (f.kind === 'transport') return `${transportMessage(f.error)}\n`;
  return statusMessage(f.status);
}

/** StandardErrorMessage for a url.Error. */
export function transportMessage(error: TransportError): string {
  return error.transport === 'connection-refused'
    ? `The connection to the server ${API_ENDPOINT} was refused - did you specify the right host or port?`
    : `Unable to connect to the server: ${transportErrorText(error)}`;
}

/** checkErr for a StatusError: Invalid gets its causes listed; others `Error from server (Reason): …`. */
export function statusMessage(s: Status): string {
  if (s.reason === 'Invalid') {
    const d = s.details;
    // Without details, checkErr adds the server's message when there is one.
    if (!d) return s.message ? `The request is invalid: ${s.message}\n` : 'The request is invalid\n';
    let prefix = 'The request is invalid';
    if ((d.kind ?? '') !== '' || (d.name ?? '') !== '')
      prefix = `The ${d.kind ?? ''} ${goQuoteSimple(d.name ?? '')} is invalid`;
    const causes = [...new Set((d.causes ?? []).map((c) => `${c.field}: ${c.message}`))];
    if (causes.length === 0) return `${prefix}\n`;
    if (causes.length === 1) return `${prefix}: ${causes[0]}\n`;
    return `${prefix}: \n${causes.map((c) => `* ${c}`).join('\n')}\n`;
  }
  return `${statusLine(s)}\n`;
}

/** StandardErrorMessage for a StatusError, without the newline (also used inside aggregates). */
export function statusLine(s: Status): string {
  if (s.reason === 'Unauthorized') return `error: You must be logged in to the server (${s.message})`;
  if (s.reason !== '') return `Error from server (${s.reason}): ${s.message}`;
  return `Error from server: ${s.message}`;
}

/** A one-line message for a failure inside an aggregate (MultipleErrors: no "error: " prefix). */
export function failureLine(f: ApiFailure): string {
  return f.kind === 'transport' ? transportMessage(f.error) : statusLine(f.status);
}

/** Go's %q for plain ASCII names (what `fmt.Sprintf("%q", name)` gives for a Kubernetes name). */
export function goQuoteSimple(s: string): string {
  return JSON.stringify(s);
}

/** A plain error as checkErr prints it: `error: ` prefixed unless already there. */
export function plainError(message: string): string {
  return `${message.startsWith('error: ') ? message : `error: ${message}`}\n`;
}

/**
 * cli-runtime's EnhanceListError: a LIST refused as BadRequest or NotFound says what was listed,
 * with which selectors. `what` is the GroupVersionResource as Go prints it
 * (`/v1, Resource=nodes`), or a plain resource name for describe's own lists (`pods`).
 */
export function enhanceListError(
  f: ApiFailure,
  what: { group: string; version: string; resource: string } | string,
  labelSelector = '',
  fieldSelector = '',
): ApiFailure {
  if (f.kind !== 'status' || (f.status.reason !== 'BadRequest' && f.status.reason !== 'NotFound')) return f;
  const subject =
    typeof what === 'string' ? what : `${what.group}/${what.version}, Resource=${what.resource}`;
  const message =
    labelSelector === '' && fieldSelector === ''
      ? `Unable to list ${JSON.stringify(subject)}: ${f.status.message}`
      : `Unable to find ${JSON.stringify(subject)} that match label selector ${JSON.stringify(labelSelector)}, field selector ${JSON.stringify(fieldSelector)}: ${f.status.message}`;
  return { kind: 'status', status: { ...f.status, message } };
}

/** One error of a command that goes on after errors: from the server, or kubectl's own text. */
export type CommandError = ApiFailure | { readonly kind: 'text'; readonly text: string };

export function textError(text: string): CommandError {
  return { kind: 'text', text };
}

/** A one-line message for an error inside an aggregate (MultipleErrors: no "error: " prefix). */
function commandErrorLine(e: CommandError): string {
  return e.kind === 'text' ? e.text : failureLine(e);
}

/**
 * checkErr over utilerrors.NewAggregate(errors): nothing when empty; one error as checkErr prints
 * it alone (`error: ` added to plain text unless there); several, one line each (MultipleErrors).
 * Returns the exit code.
 */
export function reportCommandErrors(err: (text: string) => void, errors: readonly CommandError[]): number {
  if (errors.length === 0) return 0;
  if (errors.length === 1) {
    const e = errors[0]!;
    if (e.kind !== 'text') err(failureMessage(e));
    else err(e.text.endsWith('\n') ? plainError(e.text.slice(0, -1)) : plainError(e.text));
    return 1;
  }
  err(errors.map((e) => `${commandErrorLine(e)}\n`).join(''));
  return 1;
}
