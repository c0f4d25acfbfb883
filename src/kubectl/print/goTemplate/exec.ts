import { GoFloat, goQuote, INVALID, type JpValue } from '../jsonpath';
import { sprintValue } from './fmt';
import { FUNCS, FuncError, type ParamType, SIGNATURES } from './funcs';
import { lineAt } from './lex';
import {
  type ArgNode,
  argString,
  type CommandNode,
  commandString,
  type Node,
  type PipeNode,
  pipeString,
  templateString,
} from './nodes';
import type { ParsedTemplate } from './parse';
import { GoInt, kindOf, sortedKeys, truth, typeName } from './values';

/**
 * text/template's executor (exec.go) over unstructured JSON: fields are map lookups, a missing
 * key is `<no value>` (or, with `missingkey=error`, `map has no entry for key`), and errors carry
 * Go's `template: output:LINE:COL: executing "output" at <NODE>: ...`.
 */

export class TemplateExecError extends Error {}

/** A value with whether it sits in an `interface {}` (a map's value or a slice's element). */
interface Dot {
  readonly value: JpValue;
  readonly boxed: boolean;
}

interface Variable extends Dot {
  readonly name: string;
}

const NO_FINAL: unique symbol = Symbol('no final');
type Final = JpValue | typeof NO_FINAL;

class BreakSignal {}
class ContinueSignal {}
const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();

const MAX_DEPTH = 1000;

type RangeNode = Extract<Node, { type: 'if' | 'with' | 'range' }>;

/** A pipeline's result: an `interface {}` is opened, so a nil one is no value. */
const unwrap = (v: JpValue): JpValue => (v === null ? INVALID : v);

export interface ExecResult {
  readonly out: string;
  readonly error?: string;
}

export function executeTemplate(
  parsed: ParsedTemplate,
  name: string,
  data: JpValue,
  missingKeyError: boolean,
): ExecResult {
  const state = new State(parsed, name, missingKeyError);
  try {
    state.run(parsed.templates.get(name) ?? [], { value: data, boxed: false });
    return { out: state.out };
  } catch (e) {
    if (e instanceof TemplateExecError) return { out: state.out, error: e.message };
    throw e;
  }
}

class State {
  out = '';
  private vars: Variable[] = [];
  private node: { pos: number; text: string } | undefined;
  private depth = 0;

  constructor(
    private readonly parsed: ParsedTemplate,
    private name: string,
    private readonly missingKeyError: boolean,
  ) {}

  run(list: readonly Node[], dot: Dot): void {
    this.vars = [{ name: '$', ...dot }];
    this.walkList(dot, list);
  }

  private at(pos: number, text: string): void {
    this.node = { pos, text };
  }

  private errorf(message: string): never {
    if (!this.node) throw new TemplateExecError(`template: ${this.name}: ${message}`);
    const text = this.parsed.text;
    const { pos } = this.node;
    const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
    const column = Buffer.byteLength(text.slice(lineStart, pos), 'utf8');
    throw new TemplateExecError(
      `template: output:${lineAt(text, pos)}:${column}: executing ${goQuote(this.name)} at <${this.node.text}>: ${message}`,
    );
  }

  private walkList(dot: Dot, list: readonly Node[]): void {
    for (const n of list) this.walk(dot, n);
  }

  private walk(dot: Dot, n: Node): void {
    switch (n.type) {
      case 'text':
        this.out += n.text;
        return;
      case 'action': {
        // Variables an action declares live until the end of the enclosing block.
        const value = this.evalPipeline(dot, n.pipe);
        if (n.pipe.decl.length === 0)
          this.out += value === INVALID || value === null ? '<no value>' : sprintValue(value);
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const value = this.evalPipeline(dot, n.pipe);
        if (truth(value)) this.walkList(n.type === 'with' ? { value, boxed: false } : dot, n.list);
        else if (n.elseList) this.walkList(dot, n.elseList);
        this.vars.length = mark;
        return;
      }
      case 'range':
        this.walkRange(dot, n as RangeNode);
        return;
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      case 'template':
        this.walkTemplate(dot, n);
        return;
    }
  }

  private walkRange(dot: Dot, n: RangeNode): void {
    const outer = this.vars.length;
    const value = this.evalPipeline(dot, n.pipe);
    const mark = this.vars.length;
    const decl = n.pipe.decl;
    const iteration = (index: Dot, elem: Dot): boolean => {
      if (decl.length > 0) {
        if (n.pipe.isAssign) this.setVar(decl[0]!.name, decl.length > 1 ? index : elem);
        else this.setTopVar(1, elem);
      }
      if (decl.length > 1) {
        if (n.pipe.isAssign) this.setVar(decl[1]!.name, elem);
        else this.setTopVar(2, index);
      }
      try {
        this.walkList(elem, n.list);
      } catch (e) {
        if (e === BREAK) return false;
        if (e !== CONTINUE) throw e;
      } finally {
        this.vars.length = mark;
      }
      return true;
    };
    const kind = kindOf(value);
    let ranged = false;
    if (kind === 'slice' && (value as JpValue[]).length > 0) {
      ranged = true;
      const items = value as JpValue[];
      for (let i = 0; i < items.length; i++)
        if (!iteration({ value: new GoInt(i), boxed: false }, { value: items[i], boxed: true })) break;
    } else if (kind === 'map' && sortedKeys(value as Record<string, JpValue>).length > 0) {
      ranged = true;
      const m = value as Record<string, JpValue>;
      for (const k of sortedKeys(m))
        if (!iteration({ value: k, boxed: false }, { value: m[k], boxed: true })) break;
    } else if (kind !== 'invalid' && kind !== 'slice' && kind !== 'map') {
      this.errorf(`range can't iterate over ${sprintValue(value)}`);
    }
    if (!ranged && n.elseList) this.walkList(dot, n.elseList);
    this.vars.length = outer;
  }

  private walkTemplate(dot: Dot, n: Node & { type: 'template' }): void {
    this.at(n.pos, templateString(n));
    const list = this.parsed.templates.get(n.name);
    if (!list) this.errorf(`template ${goQuote(n.name)} not defined`);
    if (this.depth >= MAX_DEPTH) this.errorf('exceeded maximum template depth (100000)');
    const value = n.pipe ? this.evalPipeline(dot, n.pipe) : INVALID;
    const saved = { vars: this.vars, name: this.name };
    this.depth++;
    this.name = n.name;
    this.vars = [{ name: '$', value, boxed: false }];
    try {
      this.walkList({ value, boxed: false }, list);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.name = saved.name;
    }
  }

  private setVar(name: string, v: Dot): void {
    for (let i = this.vars.length - 1; i >= 0; i--)
      if (this.vars[i]!.name === name) {
        this.vars[i] = { name, ...v };
        return;
      }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, v: Dot): void {
    const i = this.vars.length - n;
    this.vars[i] = { name: this.vars[i]!.name, ...v };
  }

  private varValue(name: string): Dot {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!;
    this.errorf(`undefined variable: ${name}`);
  }

  private evalPipeline(dot: Dot, pipe: PipeNode): JpValue {
    this.at(pipe.pos, pipeString(pipe));
    let value: Final = NO_FINAL;
    for (const cmd of pipe.cmds) value = unwrap(this.evalCommand(dot, cmd, value));
    const result = value === NO_FINAL ? INVALID : value;
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.setVar(d.name, { value: result, boxed: false });
      else this.vars.push({ name: d.name, value: result, boxed: false });
    }
    return result;
  }

  private notAFunction(args: readonly ArgNode[], final: Final): void {
    if (args.length > 1 || final !== NO_FINAL)
      this.errorf(`can't give argument to non-function ${argString(args[0]!)}`);
  }

  private evalCommand(dot: Dot, cmd: CommandNode, final: Final): JpValue {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        this.at(first.pos, argString(first));
        return this.evalFieldChain(dot, dot, first.idents, cmd.args, final);
      case 'chain':
        return this.evalChain(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariable(dot, first, cmd.args, final);
    }
    this.at(first.pos, argString(first));
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot.value;
      case 'nil':
        return this.errorf('nil is not a command');
      case 'number':
        return first.kind === 'int' ? new GoInt(first.value) : new GoFloat(first.value);
      case 'string':
        return first.text;
    }
  }

  private evalChain(
    dot: Dot,
    chain: ArgNode & { type: 'chain' },
    args: readonly ArgNode[],
    final: Final,
  ): JpValue {
    this.at(chain.pos, argString(chain));
    const receiver = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, { value: receiver, boxed: false }, chain.fields, args, final);
  }

  private evalVariable(
    dot: Dot,
    v: ArgNode & { type: 'variable' },
    args: readonly ArgNode[],
    final: Final,
  ): JpValue {
    this.at(v.pos, argString(v));
    const value = this.varValue(v.idents[0]!);
    if (v.idents.length === 1) {
      this.notAFunction(args, final);
      return value.value;
    }
    return this.evalFieldChain(dot, value, v.idents.slice(1), args, final);
  }

  private evalFieldChain(
    _dot: Dot,
    receiver: Dot,
    idents: readonly string[],
    args: readonly ArgNode[],
    final: Final,
  ): JpValue {
    let cur = receiver;
    for (let i = 0; i < idents.length - 1; i++)
      cur = { value: this.evalField(idents[i]!, [], NO_FINAL, cur), boxed: true };
    return this.evalField(idents[idents.length - 1]!, args, final, cur);
  }

  private evalField(name: string, args: readonly ArgNode[], final: Final, receiver: Dot): JpValue {
    const v = receiver.value;
    if (v === INVALID || v === undefined) {
      if (this.missingKeyError) this.errorf(`nil data; no entry for key ${goQuote(name)}`);
      return INVALID;
    }
    const type = receiver.boxed ? 'interface {}' : typeName(v);
    if (v === null) this.errorf(`nil pointer evaluating ${type}.${name}`);
    if (kindOf(v) === 'map') {
      if (args.length > 1 || final !== NO_FINAL) this.errorf(`${name} is not a method but has arguments`);
      const m = v as Record<string, JpValue>;
      if (Object.hasOwn(m, name) && m[name] !== undefined) return m[name];
      if (this.missingKeyError) this.errorf(`map has no entry for key ${goQuote(name)}`);
      return INVALID;
    }
    this.errorf(`can't evaluate field ${name} in type ${type}`);
  }

  private evalFunction(
    dot: Dot,
    node: ArgNode & { type: 'identifier' },
    cmd: CommandNode | ArgNode,
    args: readonly ArgNode[],
    final: Final,
  ): JpValue {
    this.at(node.pos, node.name);
    const name = node.name;
    const sig = SIGNATURES[name]!;
    const argNodes = args.slice(1);
    const numIn = argNodes.length + (final === NO_FINAL ? 0 : 1);
    if (sig.variadic) {
      if (numIn < sig.fixed.length)
        this.errorf(
          `wrong number of args for ${name}: want at least ${sig.fixed.length} got ${argNodes.length}`,
        );
    } else if (numIn !== sig.fixed.length) {
      this.errorf(`wrong number of args for ${name}: want ${sig.fixed.length} got ${numIn}`);
    }
    const paramType = (i: number): ParamType => sig.fixed[i] ?? sig.variadic!;
    if (name === 'and' || name === 'or') {
      // Short-circuit: the first false (and) or true (or) argument, else the last.
      let v: JpValue = INVALID;
      for (const a of argNodes) {
        v = this.evalArg(dot, 'value', a);
        if (truth(v) === (name === 'or')) return v;
      }
      return final === NO_FINAL ? v : final;
    }
    const argv = argNodes.map((a, i) => this.evalArg(dot, paramType(i), a));
    if (final !== NO_FINAL) argv.push(this.validate(final, paramType(argv.length)));
    try {
      return FUNCS[name]!(...argv);
    } catch (e) {
      if (!(e instanceof FuncError)) throw e;
      const text = cmd.type === 'command' ? commandString(cmd) : argString(cmd);
      this.at(cmd.pos, text);
      this.errorf(`error calling ${name}: ${e.message}`);
    }
  }

  /** validateType: what a parameter of this type receives. */
  private validate(value: JpValue, type: ParamType | undefined): JpValue {
    if (type === undefined || type === 'value') return value;
    if (type === 'any') return value === INVALID ? null : value;
    if (value === INVALID) this.errorf('invalid value; expected string');
    if (typeof value === 'string') return value;
    this.errorf(
      `wrong type for value; expected string; got ${value === null ? 'interface {}' : typeName(value)}`,
    );
  }

  private evalArg(dot: Dot, type: ParamType | undefined, n: ArgNode): JpValue {
    this.at(n.pos, argString(n));
    switch (n.type) {
      case 'dot':
        return this.validate(dot.value, type);
      case 'nil':
        if (type === 'string') this.errorf('cannot assign nil to string');
        return null;
      case 'field':
        return this.validate(this.evalFieldChain(dot, dot, n.idents, [n], NO_FINAL), type);
      case 'variable':
        return this.validate(this.evalVariable(dot, n, [], NO_FINAL), type);
      case 'pipe':
        return this.validate(this.evalPipeline(dot, n), type);
      case 'identifier':
        return this.validate(this.evalFunction(dot, n, n, [n], NO_FINAL), type);
      case 'chain':
        return this.validate(this.evalChain(dot, n, [], NO_FINAL), type);
    }
    if (type === 'string') {
      if (n.type === 'string') return n.text;
      this.errorf(`expected string; found ${argString(n)}`);
    }
    switch (n.type) {
      case 'bool':
        return n.value;
      case 'number':
        return n.kind === 'int' ? new GoInt(n.value) : new GoFloat(n.value);
      case 'string':
        return n.text;
    }
  }
}
