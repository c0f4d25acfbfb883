import { flagString } from '../flags';
import type { Invocation } from './invocation';

/**
 * clientcmd's reading of `--request-timeout`, which kubectl makes when a command first builds its
 * REST config (its first request, or a generator's Complete): a bad value ends the command there.
 */
export const INVALID_TIMEOUT_MESSAGE =
  'Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)';

/** Thrown through the command's task and reported by kubectl's entry point. */
export class InvalidRequestTimeout extends Error {
  constructor() {
    super(INVALID_TIMEOUT_MESSAGE);
  }
}

const GO_DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;

/** A non-negative integer (seconds) or a Go duration. */
export function isValidRequestTimeout(text: string): boolean {
  return /^\+?\d+$/.test(text) || text === '0' || GO_DURATION.test(text);
}

export function checkRequestTimeout(inv: Invocation): void {
  const text = flagString(inv.flags, 'request-timeout') ?? '';
  if (text !== '' && !isValidRequestTimeout(text)) throw new InvalidRequestTimeout();
}
