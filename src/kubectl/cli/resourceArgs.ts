/**
 * cli-runtime's ResourceTypeOrNameArgs: how `get`, `describe` and `label` read their arguments.
 * `TYPE`, `TYPE NAME...`, `TYPE1,TYPE2`, `TYPE1,TYPE2 NAME` (every type with every name) and
 * `TYPE/NAME...` are accepted; mixing `TYPE/NAME` with bare words is an error.
 */
export interface ResourceTuple {
  readonly type: string;
  readonly name: string;
}

export type ResourceArgs =
  | { readonly kind: 'error'; readonly message: string }
  /** Bare types, each listed (names empty) or fetched by name. */
  | { readonly kind: 'types'; readonly types: readonly string[]; readonly names: readonly string[] }
  | { readonly kind: 'tuples'; readonly tuples: readonly ResourceTuple[] }
  | { readonly kind: 'none' };

export function splitResourceArgument(arg: string): string[] {
  return [...new Set(arg.split(','))];
}

export function parseResourceArgs(input: readonly string[]): ResourceArgs {
  const args = normalizeMultipleResourcesArgs(input);
  const slashes = args.filter((a) => a.includes('/')).length;
  if (slashes > 0 && slashes !== args.length) {
    return {
      kind: 'error',
      message:
        "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
    };
  }
  if (slashes > 0) {
    const tuples: ResourceTuple[] = [];
    for (const a of args) {
      const seg = a.split('/');
      if (seg.length !== 2)
        return { kind: 'error', message: 'arguments in resource/name form may not have more than one slash' };
      const [type = '', name = ''] = seg;
      if (type === '' || name === '' || splitResourceArgument(type).length !== 1)
        return {
          kind: 'error',
          message: 'arguments in resource/name form must have a single resource and name',
        };
      tuples.push({ type, name });
    }
    return { kind: 'tuples', tuples };
  }
  if (args.length === 0) return { kind: 'none' };
  return { kind: 'types', types: splitResourceArgument(args[0]!), names: args.slice(1) };
}

/** `pods,svc foo` means `pods/foo svc/foo`. */
function normalizeMultipleResourcesArgs(args: readonly string[]): string[] {
  if (args.length >= 2) {
    const resources = splitResourceArgument(args[0]!);
    if (resources.length > 1) return resources.flatMap((r) => args.slice(1).map((n) => `${r}/${n}`));
  }
  return [...args];
}
