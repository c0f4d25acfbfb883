import { describe, expect, it } from 'vitest';
import type { Status } from '../../sim/api/types';
import { failureMessage, statusMessage } from './errors';
import { goQuote, klogErrorLine } from './klog';

const status = (over: Partial<Status>): Status => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message: '',
  reason: '',
  code: 500,
  ...over,
});

describe('kubectl error messages (checkErr / StandardErrorMessage)', () => {
  it('names the reason, or leaves it out when the server gave none', () => {
    expect(statusMessage(status({ reason: 'NotFound', message: 'nodes "x" not found', code: 404 }))).toBe(
      'Error from server (NotFound): nodes "x" not found\n',
    );
    expect(statusMessage(status({ message: 'etcdserver: request timed out' }))).toBe(
      'Error from server: etcdserver: request timed out\n',
    );
    expect(statusMessage(status({ reason: 'InternalError', message: 'boom' }))).toBe(
      'Error from server (InternalError): boom\n',
    );
    expect(statusMessage(status({ reason: 'Unauthorized', message: 'Unauthorized', code: 401 }))).toBe(
      'error: You must be logged in to the server (Unauthorized)\n',
    );
  });

  it('lists the causes of an Invalid error', () => {
    const causes = [
      { reason: 'FieldValueInvalid', field: 'metadata.name', message: 'Invalid value: "A": bad' },
      { reason: 'FieldValueInvalid', field: 'metadata.labels', message: 'Invalid value: "b": worse' },
    ];
    expect(
      statusMessage(
        status({
          reason: 'Invalid',
          code: 422,
          details: { kind: 'Namespace', name: 'A', causes: causes.slice(0, 1) },
        }),
      ),
    ).toBe('The Namespace "A" is invalid: metadata.name: Invalid value: "A": bad\n');
    expect(
      statusMessage(
        status({ reason: 'Invalid', code: 422, details: { kind: 'Namespace', name: 'A', causes } }),
      ),
    ).toBe(
      'The Namespace "A" is invalid: \n* metadata.name: Invalid value: "A": bad\n* metadata.labels: Invalid value: "b": worse\n',
    );
  });

  it('reports transport failures as kubectl does', () => {
    expect(failureMessage({ kind: 'transport', error: { transport: 'connection-refused' }, url: '' })).toBe(
      'The connection to the server 10.0.0.100:6443 was refused - did you specify the right host or port?\n',
    );
    expect(failureMessage({ kind: 'transport', error: { transport: 'eof' }, url: '' })).toBe(
      'Unable to connect to the server: EOF\n',
    );
  });

  it('writes klog lines with the simulated time and a fixed pid', () => {
    expect(klogErrorLine(31_004.2104, 'memcache.go:265', 'msg')).toBe(
      'E1125 09:00:31.004210   48213 memcache.go:265] msg\n',
    );
    expect(goQuote('Get "https://x": EOF')).toBe('"Get \\"https://x\\": EOF"');
  });
});
