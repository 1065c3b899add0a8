import { it } from 'vitest';
import { ProblemList } from '../src/errors.js';
import { parseYamlFile } from '../src/data/yaml.js';
function y(s: string) { const pl = new ProblemList(); parseYamlFile(s, 'data/deck.yaml', pl); console.log(JSON.stringify(s), JSON.stringify(pl.problems.map(p => [p.line, p.column, p.message]))); }
it('probe', () => {
  y('title: a\nslides:\n  - layout: title\n    title: x\n    title: y\n');
  y('title: a\nslides:\n  - layout: title\n    title: "unclosed\n  - layout: x\n');
  y('title: a\nslides:\n  - layout: title\n    text: Note : ceci est faux\n');
  y('title: a\nslides:\n  - layout: title\n\ttitle: x\n');
  y('title: a\nslides:\n  - layout: title\n    items: [a, b\n  - layout: x\n');
  y('title: a\nslides:\n  - layout: title\n   title: x\n');
});
