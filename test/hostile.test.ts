import { it } from 'vitest';
import { ProblemList } from '../src/errors.js';
import { parseFactsCsv } from '../src/data/csv.js';
const H = 'id,value,unit,period,label,source_title,source_url,article_value,status,note\n';
const row = 'a.b,1,USD,2024,Label,Title,https://x.org/,,sourced,\n';
function p(text: string) { const pl = new ProblemList(); let r; try { r = parseFactsCsv(text, 'data/facts.csv', pl); } catch (e) { console.log('THROW', e); return; } console.log(JSON.stringify(text).slice(-60), JSON.stringify(pl.problems.map(p => [p.line, p.field, p.message.slice(0,50)])), r.facts.map(f=>[f.fact.id, f.line])); }
it('probe', () => {
  p(H + row + 'x.y,"1,USD\nmore\nmore\n');
  const C = (s: string) => s.replace(/\n/g, '\r\n');
  p(C(H + row) + 'z.z,abc,USD,2024,L,T,,,sourced,\r\n');
  p(C(H) + 'a.c,1,USD,2024,L,T,,,sourced,"note\r\nwith"\r\nz.z,abc,USD,2024,L,T,,,sourced,\r\n');
  p(C(H) + 'a.c,1,USD,2024,L,T,,,sourced,"note\r\nwith\r\nmore"\r\nz.z,abc,USD,2024,L,T,,,sourced,\r\n');
  p(C(H) + 'a.c,1,USD,2024,L,T,,,sourced,"note\nwith"\r\nz.z,abc,USD,2024,L,T,,,sourced,\r\n');
  p(H + 'a.c,1,USD,2024,L,T,,,sourced,"note\rwith"\nz.z,abc,USD,2024,L,T,,,sourced,\n');
  p(C(H) + 'a.c,1,USD,2024,L,T,,,sourced,"note\r\nwith"\r\na.c,1,USD,2024,L,T,,,sourced,\r\n');
  p(H + 'a.c,1,USD,2024,L,T,,,sourced,"x"\na.c,1,USD,2024,L,T,,,sourced,\n');
  p(H + 'a.c,-5,people,2024,L,T,,,sourced,\nb.c,-5,USD,2024,L,T,,,sourced,\nc.c,1e20,USD,2024,L,T,,,sourced,\n');
  p(H + 'a.c,5,USD,2024,L,T,javascript:alert(1),,sourced,\nb.c,5,USD,2024,L,T,ftp://x.org/f,,sourced,\nc.c,1,USD,2024,L,,,,sourced,\n');
  p(H.replace('note', 'note,extra') + 'a.c,5,USD,2024,L,T,,,sourced,,\n');
  p(H.replace(',status', '') + 'a.c,5,USD,2024,L,T,,,\n');
  p(H + 'a.c,5,dollars,2024,L,T,,,sourced,\nb.c,5,USD,2024,L,T,,,verified,\nc.c,,USD,2024,L,T,,,sourced,\nd.d,"",USD,2024,L,T,,,sourced,\n');
  p(H + 'a.c,5,USD,2024,L,T,,,sourced,\n' + 'x.y,1,USD\n'+ 'b.c,5,USD,2024,L,T,,,sourced,\n');
  p(H + 'a.c,0x10,USD,2024,L,T,,,sourced,\nb.c,Infinity,USD,2024,L,T,,,sourced,\nc.c, 12 ,USD,2024,L,T,,,sourced,\nd.d,1_000,USD,2024,L,T,,,sourced,\ne.e,.5,USD,2024,L,T,,,sourced,\n');
  p(H + 'a.c,"13,7",USD,2024,L,T,,,sourced,\n');
  p(H.replace(/,/g,';') + 'a.c;13.7;USD;2024;L;T;;;sourced;\nb.c;1,5e3;USD;2024;L;T;;;sourced;\n');
});
