// The TextMate grammar (syntaxes/bibtex.tmLanguage.json) tokenised by the very
// libraries VS Code uses (vscode-textmate, vscode-oniguruma): each piece of a
// .bib file gets the scope a theme colours.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";

// Run from the bundle in test/unit/dist.
const root = path.resolve(__dirname, "..", "..", "..");

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: (scopeName: string) => {
      if (scopeName !== "text.bibtex") {
        return Promise.resolve(null);
      }
      const file = path.join(root, "syntaxes", "bibtex.tmLanguage.json");
      return Promise.resolve(textmate.parseRawGrammar(fs.readFileSync(file, "utf8"), file));
    },
  });
  const grammar = await registry.loadGrammar("text.bibtex");
  assert.ok(grammar);
  return grammar;
}

/** Each non-blank token of the text with its innermost scope. */
async function tokens(text: string): Promise<Array<[string, string]>> {
  const grammar = await loadGrammar();
  let state = textmate.INITIAL;
  const out: Array<[string, string]> = [];
  for (const line of text.split("\n")) {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      const piece = line.slice(token.startIndex, token.endIndex);
      if (piece.trim()) {
        out.push([piece.trim(), token.scopes[token.scopes.length - 1]]);
      }
    }
    state = result.ruleStack;
  }
  return out;
}

function scopeOf(found: Array<[string, string]>, piece: string): string {
  const hit = found.find(([text]) => text === piece);
  assert.ok(hit, `no token ${piece} in ${JSON.stringify(found)}`);
  return hit[1];
}

test("an entry: type, key, field names, values, macros, numbers", async () => {
  const found = await tokens(
    [
      "@Article{knuth:1984,",
      '  author  = "Donald E. Knuth",',
      "  title   = {Literate {Programming}},",
      "  journal = cj # { 27},",
      "  year    = 1984,",
      "}",
    ].join("\n"),
  );
  assert.equal(scopeOf(found, "Article"), "keyword.other.entry-type.bibtex");
  assert.equal(scopeOf(found, "knuth:1984"), "entity.name.type.entry-key.bibtex");
  assert.equal(scopeOf(found, "author"), "support.type.property-name.field.bibtex");
  assert.equal(scopeOf(found, "Donald E. Knuth"), "string.quoted.double.bibtex");
  assert.equal(scopeOf(found, "Literate"), "string.quoted.other.braces.bibtex");
  assert.equal(scopeOf(found, "Programming"), "meta.group.braces.bibtex");
  assert.equal(scopeOf(found, "cj"), "variable.other.constant.macro.bibtex");
  assert.equal(scopeOf(found, "#"), "keyword.operator.concatenation.bibtex");
  assert.equal(scopeOf(found, "1984"), "constant.numeric.bibtex");
  assert.deepEqual(found[found.length - 1], ["}", "punctuation.section.entry.end.bibtex"]);
});

test("a value spanning lines, with a brace and a quote inside, ends where BibTeX ends it", async () => {
  const found = await tokens(['@book{b, title = "A {"}quoted{"} and', '  {more}", year = 2000}'].join("\n"));
  assert.equal(scopeOf(found, "year"), "support.type.property-name.field.bibtex");
  assert.equal(scopeOf(found, "2000"), "constant.numeric.bibtex");
});

test("parentheses as entry delimiters", async () => {
  const found = await tokens("@misc(p, note = {x (y)}, year = 1999)\n@misc{q, year = 2000}");
  assert.equal(scopeOf(found, "p"), "entity.name.type.entry-key.bibtex");
  assert.equal(scopeOf(found, "1999"), "constant.numeric.bibtex");
  assert.equal(scopeOf(found, "q"), "entity.name.type.entry-key.bibtex");
});

test("@string, @preamble, @comment and text between entries", async () => {
  const found = await tokens(
    [
      "Free text between entries is a comment to BibTeX.",
      "% a line comment",
      '@String{acm = "ACM"}',
      '@preamble{"\\newcommand{\\noopsort}[1]{}"}',
      "@comment{anything {nested} here}",
      "@article{a, publisher = acm}",
    ].join("\n"),
  );
  assert.equal(scopeOf(found, "Free text between entries is a comment to BibTeX."), "comment.block.bibtex");
  assert.equal(scopeOf(found, "a line comment"), "comment.line.percentage.bibtex");
  assert.equal(scopeOf(found, "String"), "keyword.other.string.bibtex");
  assert.equal(scopeOf(found, "acm"), "entity.name.constant.macro.bibtex");
  assert.equal(scopeOf(found, "preamble"), "keyword.other.preamble.bibtex");
  assert.equal(scopeOf(found, "\\newcommand"), "support.function.latex");
  assert.equal(scopeOf(found, "anything"), "comment.block.at-comment.bibtex");
  assert.equal(scopeOf(found, "publisher"), "support.type.property-name.field.bibtex");
});

test("LaTeX in values: commands, escapes and math", async () => {
  const found = await tokens("@misc{m, title = {Caf\\'e and \\emph{x} in $O(n^2)$ for 10\\%}}");
  assert.equal(scopeOf(found, "\\'"), "constant.character.escape.latex");
  assert.equal(scopeOf(found, "\\emph"), "support.function.latex");
  assert.equal(scopeOf(found, "O(n^2)"), "string.other.math.latex");
  assert.equal(scopeOf(found, "\\%"), "constant.character.escape.latex");
});
