import { describe, expect, it } from 'vitest';
import { runProgram } from '../shell/runProgram';
import { RESOURCES } from '../sim/api/resources';
import { Cluster } from '../sim/cluster/cluster';
import { type DocumentedResource, type OpenApiDocument, openApiDocument } from './explain/openapi';
import { renderExplain, wrapString } from './explain/render';
import { renderExplainV2 } from './explain/renderV2';
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

  it('lists enum values in byte order, as the OpenAPI documents do', () => {
    for (const [id, doc] of Object.entries(TYPES))
      for (const [name, f] of Object.entries(doc.fields ?? {}))
        if (f.enum) expect([...f.enum].sort(), `${id}.${name}`).toEqual(f.enum);
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
    expect(k('explain', 'pods', '--recursive=maybe').code).toBe(1);
  });

  it('renders the older template with -o plaintext-openapiv2', () => {
    const { k } = boot();
    const r = k('explain', 'deploy.spec', '-o', 'plaintext-openapiv2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^KIND: {5}Deployment\nVERSION: {2}apps\/v1\n\nRESOURCE: spec <Object>\n\nDESCRIPTION:\n {5}\S/,
    );
    expect(r.stdout).toContain('\n   selector\t<Object> -required-\n');
    expect(k('explain', 'pods', '-o', 'plaintext-openapiv2', '--api-version=v2')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'error: couldn\'t find resource for "/v2, Kind=Pod"\n',
    });
    expect(k('explain', 'pods.x', '-o', 'plaintext-openapiv2').stderr).toBe(
      'error: field "x" does not exist\n',
    );
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

/** The `name\t<type>` lines of a --recursive listing, as dotted paths with their types. */
function recursivePaths(out: string): { path: string[]; type: string }[] {
  const lines = out.slice(out.indexOf('FIELDS:\n') + 'FIELDS:\n'.length).split('\n');
  const stack: string[] = [];
  const found: { path: string[]; type: string }[] = [];
  for (const line of lines) {
    const m = /^( +)(\w+)\t<(.+?)>/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 2 - 1;
    stack.length = depth;
    stack.push(m[2]!);
    found.push({ path: [...stack], type: m[3]! });
  }
  return found;
}

describe('every field of the --recursive tree', () => {
  const kinds = RESOURCES.map((r) => ({
    gvr: { group: r.group, version: r.version, resource: r.resource },
    gvk: { group: r.group, version: r.version, kind: r.kind },
    doc: openApiDocument(r.group === '' ? `api/${r.version}` : `apis/${r.group}/${r.version}`, SERVED)!,
  }));

  it('can be explained on its own, with the type the tree shows', () => {
    let count = 0;
    for (const { gvr, doc } of kinds) {
      const tree = renderExplain(doc, gvr, [], true);
      expect(tree.error).toBeUndefined();
      for (const { path, type } of recursivePaths(tree.out)) {
        const r = renderExplain(doc, gvr, path, false);
        expect(r.error, `${gvr.resource}.${path.join('.')}`).toBeUndefined();
        expect(r.out).toContain(`FIELD: ${path[path.length - 1]} <${type}>\n`);
        count++;
      }
    }
    // Pods alone list hundreds of fields; the whole table well over a thousand.
    expect(count).toBeGreaterThan(1500);
  });

  it('resolves in the OpenAPI v2 model too, as a field or a resource', () => {
    for (const { gvr, gvk, doc } of kinds)
      for (const { path } of recursivePaths(renderExplain(doc, gvr, [], true).out)) {
        const r = renderExplainV2(doc, gvk, path, false);
        expect('out' in r, `${gvr.resource}.${path.join('.')}`).toBe(true);
        if (!('out' in r)) continue;
        // A free-form object (fieldsV1) holds arbitrary values: no FIELD line, as in kubectl.
        const line = path.includes('fieldsV1')
          ? /^KIND: /
          : new RegExp(`\\n(FIELD: {4}|RESOURCE: )${path[path.length - 1]} <`);
        expect(r.out).toMatch(line);
      }
  });

  it('names the types of the v2 model as the older explain did', () => {
    const doc = openApiDocument('api/v1', SERVED)!;
    const pod = { group: '', version: 'v1', kind: 'Pod' };
    const tree = renderExplainV2(doc, pod, ['spec'], true);
    expect('out' in tree && tree.out).toContain('\n   containers\t<[]Object>\n      args\t<[]string>\n');
    const meta = renderExplainV2(doc, pod, ['metadata'], true);
    expect('out' in meta && meta.out).toContain('      fieldsV1\t<map[string]>\n');
    const fields = renderExplainV2(doc, pod, ['metadata', 'managedFields', 'fieldsV1'], false);
    // proto.parseMap gives the arbitrary values the map's own description: it is printed twice.
    expect('out' in fields && fields.out).toMatch(
      /^KIND: {5}Pod\nVERSION: {2}v1\n\nDESCRIPTION:\n {5}\S[^\n]*\n\n {5}(\S[^\n]*)\n\n {5}\1\n$/,
    );
    const port = renderExplainV2(doc, pod, ['spec', 'containers', 'livenessProbe', 'httpGet', 'port'], false);
    expect('out' in port && port.out).toContain('FIELD:    port <string>\n');
  });
});

describe('renderExplainV2 (pkg/explain layout)', () => {
  const doc: OpenApiDocument = {
    paths: {},
    components: {
      schemas: {
        'v1.OneKind': {
          description: 'OneKind has a short description',
          type: 'object',
          required: ['field1'],
          properties: {
            field1: { allOf: [{ $ref: '#/components/schemas/v1.OtherKind' }], description: 'A first field.' },
            field2: {
              type: 'array',
              description: 'This is an array of object of PrimitiveDef',
              items: { type: 'object', additionalProperties: { type: 'string' } },
            },
          },
          'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'OneKind' }],
        },
        'v1.OtherKind': {
          description: 'This is another kind of Kind',
          type: 'object',
          required: ['string'],
          properties: {
            array: {
              type: 'array',
              description: 'This array must be an array of int',
              items: { type: 'integer', description: 'This is an int in an array' },
            },
            primitive: { type: 'string' },
            string: { type: 'string', description: 'This string must be a string' },
          },
        },
      },
    },
  };
  const gvk = { group: '', version: 'v1', kind: 'OneKind' };

  it('prints a kind, a resource and a field as model_printer.go does', () => {
    expect(renderExplainV2(doc, gvk, [], false)).toEqual({
      out: 'KIND:     OneKind\nVERSION:  v1\n\nDESCRIPTION:\n     OneKind has a short description\n\nFIELDS:\n   field1\t<Object> -required-\n     A first field.\n\n   field2\t<[]map[string]string>\n     This is an array of object of PrimitiveDef\n\n',
    });
    expect(renderExplainV2(doc, gvk, ['field1'], false)).toEqual({
      out: 'KIND:     OneKind\nVERSION:  v1\n\nRESOURCE: field1 <Object>\n\nDESCRIPTION:\n     A first field.\n\n     This is another kind of Kind\n\nFIELDS:\n   array\t<[]integer>\n     This array must be an array of int\n\n   primitive\t<string>\n\n   string\t<string> -required-\n     This string must be a string\n\n',
    });
    expect(renderExplainV2(doc, gvk, ['field1', 'array'], false)).toEqual({
      out: 'KIND:     OneKind\nVERSION:  v1\n\nFIELD:    array <[]integer>\n\nDESCRIPTION:\n     This array must be an array of int\n\n     This is an int in an array\n',
    });
    expect(renderExplainV2(doc, gvk, ['field1', 'nope'], false)).toEqual({
      error: 'field "nope" does not exist',
    });
    expect(renderExplainV2(doc, { ...gvk, version: 'v2' }, [], false)).toEqual({
      error: 'couldn\'t find resource for "/v2, Kind=OneKind"',
    });
  });

  it('wraps descriptions at 80 columns, joining words with single spaces', () => {
    const long = `${'word '.repeat(30)}end`;
    const wide: OpenApiDocument = {
      ...doc,
      components: {
        schemas: {
          ...doc.components.schemas,
          'v1.OneKind': { ...doc.components.schemas['v1.OneKind']!, description: long },
        },
      },
    };
    const r = renderExplainV2(wide, gvk, [], false);
    const lines = 'out' in r ? r.out.split('\n') : [];
    expect(lines[4]).toBe(`     ${'word '.repeat(14)}word`);
    expect(lines[4]!.length).toBeLessThanOrEqual(80);
  });
});
