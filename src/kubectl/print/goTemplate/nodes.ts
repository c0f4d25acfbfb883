/**
 * The parse tree of Go's text/template (parse/node.go), with each node's position (for execution
 * errors' `output:LINE:COL`) and the String() that errors quote as `at <...>`.
 */

export type ArgNode =
  | { readonly type: 'field'; readonly pos: number; readonly idents: readonly string[] }
  | { readonly type: 'variable'; readonly pos: number; readonly idents: readonly string[] }
  | { readonly type: 'identifier'; readonly pos: number; readonly name: string }
  | { readonly type: 'dot'; readonly pos: number }
  | { readonly type: 'nil'; readonly pos: number }
  | { readonly type: 'bool'; readonly pos: number; readonly value: boolean }
  | NumberNode
  | { readonly type: 'string'; readonly pos: number; readonly quoted: string; readonly text: string }
  | {
      readonly type: 'chain';
      readonly pos: number;
      readonly node: ArgNode;
      readonly fields: readonly string[];
    }
  | PipeNode;

export interface NumberNode {
  readonly type: 'number';
  readonly pos: number;
  readonly text: string;
  /** What idealConstant makes of it: Go's `int`, or a float64. */
  readonly kind: 'int' | 'float';
  readonly value: number;
}

export interface CommandNode {
  readonly type: 'command';
  readonly pos: number;
  readonly args: ArgNode[];
}

export interface PipeNode {
  readonly type: 'pipe';
  readonly pos: number;
  isAssign: boolean;
  readonly decl: { readonly pos: number; readonly name: string }[];
  readonly cmds: CommandNode[];
}

export type Node =
  | { readonly type: 'text'; readonly pos: number; readonly text: string }
  | { readonly type: 'action'; readonly pos: number; readonly pipe: PipeNode }
  | {
      readonly type: 'if' | 'with' | 'range';
      readonly pos: number;
      readonly pipe: PipeNode;
      readonly list: Node[];
      readonly elseList?: Node[];
    }
  | { readonly type: 'break' | 'continue'; readonly pos: number }
  | { readonly type: 'template'; readonly pos: number; readonly name: string; readonly pipe?: PipeNode };

export function argString(n: ArgNode): string {
  switch (n.type) {
    case 'field':
      return n.idents.map((i) => `.${i}`).join('');
    case 'variable':
      return n.idents.join('.');
    case 'identifier':
      return n.name;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(n.value);
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'chain': {
      const head = n.node.type === 'pipe' ? `(${pipeString(n.node)})` : argString(n.node);
      return head + n.fields.map((f) => `.${f}`).join('');
    }
    case 'pipe':
      return pipeString(n);
  }
}

export function commandString(c: CommandNode): string {
  return c.args.map((a) => (a.type === 'pipe' ? `(${pipeString(a)})` : argString(a))).join(' ');
}

export function pipeString(p: PipeNode): string {
  const decl =
    p.decl.length > 0 ? `${p.decl.map((d) => d.name).join(', ')}${p.isAssign ? ' = ' : ' := '}` : '';
  return decl + p.cmds.map(commandString).join(' | ');
}

export function templateString(n: Node & { type: 'template' }): string {
  return n.pipe
    ? `{{template ${JSON.stringify(n.name)} ${pipeString(n.pipe)}}}`
    : `{{template ${JSON.stringify(n.name)}}}`;
}
