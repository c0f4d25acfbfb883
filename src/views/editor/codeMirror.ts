import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, linter, lintGutter } from '@codemirror/lint';
import { EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import type { YamlProblem } from '../../worker/yamlLint';

/**
 * The editor pane's CodeMirror 6 instance. This module (CodeMirror and its YAML grammar) is
 * loaded only when a command first opens the pane, so it stays off the page's critical path.
 */

export interface EditorHandle {
  readonly text: () => string;
  readonly focus: () => void;
  readonly destroy: () => void;
}

export interface EditorOptions {
  readonly doc: string;
  readonly language: 'yaml' | 'text';
  /** What screen readers call the text area. */
  readonly label: string;
  /** YAML parse errors of a text (YAML only; computed in the worker). */
  readonly lint?: (text: string) => Promise<readonly YamlProblem[]>;
  /** The problems after each check, with their line numbers. */
  readonly onProblems?: (problems: readonly LineProblem[]) => void;
}

export interface LineProblem {
  readonly line: number;
  readonly message: string;
}

/** Colours on the terminal's dark background (contrast ≥ 4.5:1 against #0b1120). */
const highlight = HighlightStyle.define([
  { tag: t.comment, color: '#94a3b8', fontStyle: 'italic' },
  { tag: [t.propertyName, t.definition(t.propertyName)], color: '#7dd3fc' },
  { tag: [t.string, t.special(t.string)], color: '#bef264' },
  { tag: [t.number, t.bool, t.null, t.atom], color: '#fdba74' },
  { tag: [t.keyword, t.typeName, t.labelName], color: '#f0abfc' },
  { tag: [t.punctuation, t.separator, t.squareBracket, t.brace], color: '#cbd5e1' },
  { tag: t.meta, color: '#fcd34d' },
  { tag: t.invalid, color: '#fca5a5' },
]);

const theme = EditorView.theme(
  {
    '&': { height: '100%', color: '#e2e8f0', backgroundColor: '#0b1120', fontSize: '13px' },
    '.cm-scroller': { fontFamily: '"DejaVu Sans Mono", Menlo, Consolas, monospace', lineHeight: '1.45' },
    '.cm-content': { caretColor: '#fbbf24' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: '#fbbf24', borderLeftWidth: '2px' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
      backgroundColor: '#1e40af !important',
    },
    '.cm-gutters': { backgroundColor: '#0f172a', color: '#64748b', borderRight: '1px solid #334155' },
    '.cm-activeLine': { backgroundColor: '#111c33' },
    '.cm-activeLineGutter': { backgroundColor: '#1e293b', color: '#cbd5e1' },
    '.cm-tooltip': { backgroundColor: '#1e293b', color: '#e2e8f0', border: '1px solid #475569' },
    '.cm-diagnostic-error': { borderLeft: '4px solid #ef4444' },
    '.cm-lintRange-error': {
      backgroundImage: 'none',
      textDecoration: 'underline wavy #f87171',
      textUnderlineOffset: '3px',
    },
  },
  { dark: true },
);

export function createEditor(parent: HTMLElement, opts: EditorOptions): EditorHandle {
  const isYaml = opts.language === 'yaml';
  const extensions: Extension[] = [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightActiveLine(),
    drawSelection(),
    history(),
    indentOnInput(),
    bracketMatching(),
    EditorState.tabSize.of(2),
    EditorView.lineWrapping,
    // Ctrl-S and Esc belong to the pane around the editor (they work from its buttons too).
    keymap.of([...defaultKeymap, ...historyKeymap]),
    syntaxHighlighting(highlight),
    theme,
    EditorView.contentAttributes.of({ 'aria-label': opts.label }),
  ];
  const lint = opts.lint;
  if (isYaml) extensions.push(yaml());
  if (isYaml && lint) {
    extensions.push(
      lintGutter(),
      linter(
        async (view) => {
          const doc = view.state.doc;
          const problems = await lint(doc.toString());
          // The text may have changed meanwhile; CodeMirror drops stale results, keep positions in range.
          const diagnostics: Diagnostic[] = problems.map((p) => ({
            from: Math.min(p.from, doc.length),
            to: Math.min(p.to, doc.length),
            severity: 'error',
            message: p.message,
          }));
          opts.onProblems?.(
            diagnostics.map((d) => ({ line: doc.lineAt(d.from).number, message: d.message })),
          );
          return diagnostics;
        },
        { delay: 250 },
      ),
    );
  }
  const view = new EditorView({ parent, state: EditorState.create({ doc: opts.doc, extensions }) });
  return {
    text: () => view.state.doc.toString(),
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
