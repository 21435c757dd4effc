// Run as a child process by bicep-tree.ts: parses Bicep files with tree-sitter-bicep (a native addon) and prints
// their syntax trees as JSON. Jest loads modules afresh in each test file's sandbox while a native addon stays
// bound to the first one, which leaves node-tree-sitter's nodes half-built in the next file; a process of its own
// keeps the parser out of jest's sandbox.
const { readFileSync } = require('node:fs');
const Parser = require('tree-sitter');
const Bicep = require('tree-sitter-bicep');

const parser = new Parser();
parser.setLanguage(Bicep);

/** The node under the cursor, its field name in its parent, and its children, as plain data. */
function toData(cursor) {
  const node = cursor.currentNode;
  const out = {
    type: node.type,
    named: node.isNamed,
    missing: node.isMissing,
    field: cursor.currentFieldName ?? null,
    row: node.startPosition.row,
    start: node.startIndex,
    end: node.endIndex,
    children: [],
  };
  if (cursor.gotoFirstChild()) {
    do out.children.push(toData(cursor));
    while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  return out;
}

const result = {};
for (const path of process.argv.slice(2)) {
  const text = readFileSync(path, 'utf8');
  result[path] = { text, root: toData(parser.parse(text).walk()) };
}
process.stdout.write(JSON.stringify(result));
