import { describe, expect, it } from 'vitest';
import { runProgram } from '../shell/runProgram';
import { RESOURCES } from '../sim/api/resources';
import { Cluster } from '../sim/cluster/cluster';
import { type DocumentedResource, openApiDocument } from './explain/openapi';
import { renderExplain, wrapString } from './explain/render';
import { type FieldType, TYPES } from './explain/schema';
import { kubectl } from './kubectl';

/**
 * `kubectl explain`. The layouts were checked against kubectl v1.32.4 rendering the same OpenAPI
 * v3 documents (testdata/compareWithRealKubectl.ts --explain-schemas); testdata/explain.txt holds
 * the full outputs.
 */

function boot(): { c: Cluster; k: (...argv: string[]) => ReturnType<typeof runProgram> } {
  const c = new Cluster('ha', 1);
  c.sim.runUntil(30_000);
  return { c, k: (...argv: string[]) => runProgram(c, kubectl, argv) };
}

const SERVED: DocumentedResource[] = RESOURCES.map((r) => ({
  gvk: { group: r.group, version: r.version, kind: r.kind },
  resource: r.resource,
  namespaced: r.namespaced,
}));

describe('the schema table', () => {
  it('documents every kind the lab serves, and every reference resolves', () => {
    for (const r of RESOURCES)
      expect(
        Object.values(TYPES).some((t) => t.gvk?.kind === r.kind && t.gvk.group === r.group),
        r.kind,
      ).toBe(true);
    const check = (t: FieldType, where: string): void => {
      if ('ref' in t) expect(TYPES[t.ref], where).toBeDefined();
      else if ('array' in t) check(t.array, where);
      else if ('map' in t) check(t.map, where);
    };
    for (const [id, doc] of Object.entries(TYPES)) {
      expect(doc.description, id).not.toBe('');
      for (const [name, f] of Object.entries(doc.fields ?? {})) {
        check(f.type, `${id}.${name}`);
        expect(f.description, `${id}.${name}`).not.toBe('');
      }
    }
  });

  it('publishes one document per group version it documents', () => {
    expect(openApiDocument('api/v1', SERVED)?.paths['/api/v1/namespaces/{namespace}/pods/{name}']).toEqual({
      get: { 'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'Pod' } },
    });
    expect(openApiDocument('apis/apps/v2', SERVED)).toBeUndefined();
  });
});

describe('wrapString (go-wordwrap)', () => {
  it('breaks between words at the limit and keeps newlines', () => {
    expect(wrapString('aaa bbb ccc', 7)).toBe('aaa bbb\nccc');
    expect(wrapString('aaa bbb\n', 76)).toBe('aaa bbb\n');
    expect(wrapString('one\ntwo three', 5)).toBe('one\ntwo\nthree');
    // A word longer than the limit stays whole.
    expect(wrapString('abcdefghij k', 5)).toBe('abcdefghij\nk');
  });
});

describe('renderExplain', () => {
  const doc = openApiDocument('api/v1', SERVED)!;
  const pods = { group: '', version: 'v1', resource: 'pods' };

  it('follows a path through allOf, array items and map values', () => {
    const r = renderExplain(doc, pods, ['spec', 'containers', 'ports', 'protocol'], false);
    expect(r.error).toBeUndefined();
    expect(r.out).toContain('FIELD: protocol <string>\nENUM:\n    SCTP\n    TCP\n    UDP\n\nDESCRIPTION:\n');
    expect(renderExplain(doc, pods, ['metadata', 'labels'], false).out).toContain(
      'FIELD: labels <map[string]string>\n\n\n',
    );
  });

  it('names the last field of a path that does not resolve, after the header', () => {
    expect(renderExplain(doc, pods, ['nope', 'spec'], false)).toEqual({
      out: 'KIND:       Pod\nVERSION:    v1\n\n',
      error: 'error: field "spec" does not exist',
    });
    expect(renderExplain(doc, pods, ['metadata', 'labels', 'app'], false).error).toBe(
      'error: field "app" does not exist',
    );
  });

  it('refuses a resource the document has no operation for', () => {
    expect(renderExplain(doc, { ...pods, resource: 'deployments' }, [], false)).toEqual({
      out: '',
      error: 'error: GVR (/v1, Resource=deployments) not found in OpenAPI schema',
    });
  });
});

describe('kubectl explain', () => {
  it('prints the kind, its description and its fields', () => {
    const { k } = boot();
    const r = k('explain', 'deploy');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^GROUP: {6}apps\nKIND: {7}Deployment\nVERSION: {4}v1\n\nDESCRIPTION:\n {4}\S/);
    expect(r.stdout).toContain('    \nFIELDS:\n  apiVersion\t<string>\n    ');
    expect(r.stdout).toContain('\n  spec\t<DeploymentSpec>\n');
    expect(r.stdout.endsWith('\n\n\n')).toBe(true);
  });

  it('explains a field, with -required- and enum markers in the list', () => {
    const { k } = boot();
    const r = k('explain', 'deployments.apps.spec');
    expect(r.stdout).toContain('FIELD: spec <DeploymentSpec>\n\n\nDESCRIPTION:\n');
    expect(r.stdout).toContain('\n  selector\t<LabelSelector> -required-\n');
    const s = k('explain', 'svc.spec.ports');
    expect(s.stdout).toContain('  protocol\t<string>\n  enum: SCTP, TCP, UDP\n    The protocol');
    expect(s.stdout).toContain('  targetPort\t<IntOrString>\n');
  });

  it('prints the field tree with --recursive', () => {
    const { k } = boot();
    const r = k('explain', 'pods.spec.tolerations', '--recursive');
    expect(r.stdout).toContain(
      'FIELDS:\n  effect\t<string>\n  enum: NoExecute, NoSchedule, PreferNoSchedule\n  key\t<string>\n',
    );
    expect(r.stdout).not.toContain('DESCRIPTION:\n    \n');
    expect(k('explain', 'cj', '--recursive').stdout).toContain(
      '      spec\t<JobSpec>\n        activeDeadlineSeconds\t<integer>\n',
    );
  });

  it('takes the group version from --api-version', () => {
    const { k } = boot();
    expect(k('explain', 'jobs', '--api-version=batch/v1').code).toBe(0);
    expect(k('explain', 'deployments.apps', '--api-version=apps/v1')).toMatchObject({
      code: 1,
      stderr: 'error: field "apps" does not exist\n',
    });
    expect(k('explain', 'pods', '--api-version=v2').stderr).toBe(
      'error: couldn\'t find resource for "/v2, Resource=pods"\n',
    );
    expect(k('explain', 'pods', '--api-version=a/b/c').stderr).toBe(
      'error: unexpected GroupVersion string: a/b/c\n',
    );
  });

  it("answers mistakes with kubectl's errors", () => {
    const { k } = boot();
    expect(k('explain')).toMatchObject({
      code: 1,
      stdout: '',
      stderr:
        'error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n',
    });
    expect(k('explain', 'pods', 'nodes').stderr).toBe(
      'error: We accept only this format: explain RESOURCE\n',
    );
    expect(k('explain', 'foo.bar')).toMatchObject({
      code: 1,
      stderr: 'the server doesn\'t have a resource type "foo"\n',
    });
    expect(k('explain', 'pods.spec.nope')).toMatchObject({
      code: 1,
      stdout: 'KIND:       Pod\nVERSION:    v1\n\n',
      stderr: 'error: field "nope" does not exist\n',
    });
    expect(k('explain', 'pods', '--output=json').stderr).toBe('error: unrecognized format: json\n');
    expect(k('explain', 'pods', '-o', 'plaintext-openapiv2').stderr).toContain('not supported');
    expect(k('explain', 'pods', '--recursive=maybe').code).toBe(1);
  });

  it('logs two failed discovery lookups when the server is unreachable', () => {
    const { c, k } = boot();
    c.killHost('cp-1');
    c.killHost('cp-2');
    c.killHost('cp-3');
    c.sim.runUntil(40_000);
    const r = k('explain', 'pods');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.match(/memcache\.go:265/g)?.length).toBe(2);
  });
});
