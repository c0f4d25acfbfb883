import { qualifiedResource, type ResourceInfo } from './resources';
import type { Status } from './types';

/** apimachinery's StatusError constructors, with the exact messages kube-apiserver returns. */
function failure(code: number, reason: string, message: string, details?: Status['details']): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message,
    reason,
    code,
    ...(details ? { details } : {}),
  };
}

export function notFound(info: ResourceInfo, name: string): Status {
  return failure(404, 'NotFound', `${qualifiedResource(info)} "${name}" not found`, {
    name,
    group: info.group,
    kind: info.resource,
  });
}

export function alreadyExists(info: ResourceInfo, name: string): Status {
  return failure(409, 'AlreadyExists', `${qualifiedResource(info)} "${name}" already exists`, {
    name,
    group: info.group,
    kind: info.resource,
  });
}

/** The optimistic-lock message, unless a more specific cause is given (e.g. a UID precondition). */
export const OPTIMISTIC_LOCK_ERROR_MSG =
  'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(info: ResourceInfo, name: string, why = OPTIMISTIC_LOCK_ERROR_MSG): Status {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(info)} "${name}": ${why}`,
    {
      name,
      group: info.group,
      kind: info.resource,
    },
  );
}

export function badRequest(message: string): Status {
  return failure(400, 'BadRequest', message);
}

export function invalid(
  info: ResourceInfo,
  name: string,
  causes: readonly { field: string; message: string }[],
): Status {
  // field.ErrorList.ToAggregate().Error(): one distinct error prints bare, several print as "[a, b]".
  const distinct = [...new Set(causes.map((c) => `${c.field}: ${c.message}`))];
  const list = distinct.length === 1 ? distinct[0] : `[${distinct.join(', ')}]`;
  const what = info.group === '' ? info.kind : `${info.kind}.${info.group}`;
  return failure(422, 'Invalid', `${what} "${name}" is invalid: ${list}`, {
    name,
    group: info.group,
    kind: info.kind,
    causes: causes.map((c) => ({ reason: causeReason(c.message), field: c.field, message: c.message })),
  });
}

/** A cause's reason is its field.ErrorType, which also starts its message ("Required value: ..."). */
const CAUSE_REASONS: readonly (readonly [prefix: string, reason: string])[] = [
  ['Required value', 'FieldValueRequired'],
  ['Unsupported value', 'FieldValueNotSupported'],
  ['Duplicate value', 'FieldValueDuplicate'],
  ['Forbidden', 'FieldValueForbidden'],
  ['Too long', 'FieldValueTooLong'],
  ['Too many', 'FieldValueTooMany'],
  ['Not found', 'FieldValueNotFound'],
  ['Internal error', 'InternalError'],
];

function causeReason(message: string): string {
  return CAUSE_REASONS.find(([prefix]) => message.startsWith(prefix))?.[1] ?? 'FieldValueInvalid';
}

export function methodNotAllowed(): Status {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

/** An error from etcd passed through as a 500 with no reason: kubectl prints `Error from server: <text>`. */
export function internalFromEtcd(text: string): Status {
  return failure(500, '', text);
}
