// The handout page (handout.html, printed as handout.pdf): draws the charts for paper, then lays
// the cover, the slide cards and the sources out on A4 sheets, one or two cards a sheet, a card
// too long for one sheet continued on the next, with the deck's title and page numbers at the foot
// of each. Announces window.datadeckHandoutReady and, for the PDF's outline, the sheet each card
// starts on (window.datadeckHandoutOutline).
import type { HandoutOutlineEntry } from './contract.js';

interface Sheet {
  sheet: HTMLElement;
  content: HTMLElement;
  footer: HTMLElement;
}

const body = document.body;

function fill(pattern: string, values: Record<string, string | number>): string {
  return pattern.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

function newSheet(container: HTMLElement): Sheet {
  const sheet = document.createElement('div');
  sheet.className = 'sheet';
  const content = document.createElement('div');
  content.className = 'sheet-body';
  const footer = document.createElement('footer');
  footer.className = 'sheet-footer';
  sheet.appendChild(content);
  sheet.appendChild(footer);
  container.appendChild(sheet);
  return { sheet, content, footer };
}

function fits(sheet: Sheet): boolean {
  return sheet.content.scrollHeight <= sheet.content.clientHeight + 1;
}

// The parts of a block that may go on to the next sheet, last first.
function movableParts(block: Element): Element[] {
  return [...block.querySelectorAll('.card-notes > p, .card-claims > li, .card-sources > li, .sources > li')].reverse();
}

// An empty copy of a block to hold what did not fit: same lists, a heading saying "continued".
function continuation(block: Element): Element {
  const copy = document.createElement(block.tagName);
  copy.className = block.className + ' continued';
  const heading = block.querySelector('h2');
  if (heading) {
    const title = document.createElement('p');
    title.className = heading.className + ' continued-heading';
    title.textContent = fill(body.dataset['continuedPattern'] || '{title}', { title: heading.getAttribute('data-title') || heading.textContent });
    copy.appendChild(title);
  }
  block.querySelectorAll('.card-notes, .card-claims, .card-sources, .sources').forEach((list) => {
    const empty = document.createElement(list.tagName);
    empty.className = list.className;
    const listHeading = list.getAttribute('data-heading');
    if (listHeading !== null) empty.setAttribute('data-heading', listHeading);
    copy.appendChild(empty);
  });
  return copy;
}

function moveInto(copy: Element, part: Element): void {
  const list = copy.querySelector('.' + (part.parentElement?.className.split(' ')[0] ?? ''));
  if (!list) throw new Error('a continued block without the list of ' + part.tagName);
  list.insertBefore(part, list.firstChild);
}

function layout(flow: Element): void {
  const blocks = [...flow.children];
  const container = document.createElement('div');
  container.className = 'sheets';
  flow.replaceWith(container);
  const sheets: Sheet[] = [];
  let sheet: Sheet | null = null;
  blocks.forEach((block, index) => {
    // The cover has its sheet; every other block starts where the last one ended.
    if (!sheet || index === 1) {
      sheet = newSheet(container);
      sheets.push(sheet);
    }
    sheet.content.appendChild(block);
    if (fits(sheet)) return;
    if (sheet.content.children.length > 1) {
      sheet = newSheet(container);
      sheets.push(sheet);
      sheet.content.appendChild(block);
    }
    let current = block;
    while (!fits(sheet)) {
      const parts = movableParts(current);
      if (parts.length <= 1) break;
      const copy = continuation(current);
      for (let i = 0; i < parts.length - 1 && !fits(sheet); i += 1) moveInto(copy, parts[i]!);
      sheet = newSheet(container);
      sheets.push(sheet);
      sheet.content.appendChild(copy);
      current = copy;
    }
  });
  const title = body.dataset['title'] || document.title;
  sheets.forEach((each, index) => {
    const name = document.createElement('span');
    name.className = 'deck-title';
    name.textContent = title;
    const number = document.createElement('span');
    number.className = 'page-number';
    number.textContent = fill(body.dataset['pagePattern'] || '{page}/{pages}', { page: index + 1, pages: sheets.length });
    each.footer.appendChild(name);
    each.footer.appendChild(number);
  });
  const sheetOf = (element: Element): number => {
    const owner = element.closest('.sheet');
    return owner ? [...container.children].indexOf(owner) : -1;
  };
  document.querySelectorAll('.page-ref[data-target]').forEach((reference) => {
    const target = document.getElementById(reference.getAttribute('data-target') ?? '');
    if (target) reference.textContent = fill(body.dataset['pageRefPattern'] || '{page}', { page: sheetOf(target) + 1 });
  });
  const outline: HandoutOutlineEntry[] = [...document.querySelectorAll('h2[data-title]')].map((heading) => ({
    title: heading.getAttribute('data-title') ?? '',
    page: sheetOf(heading),
  }));
  window.datadeckHandoutOutline = outline;
  window.datadeckHandoutReady = true;
}

function whenChartsDrawn(): Promise<void> {
  return new Promise((resolve) => {
    if (window.datadeckChartsDrawn) {
      resolve();
      return;
    }
    document.addEventListener('datadeck:charts-drawn', () => { resolve(); }, { once: true });
  });
}

const flow = document.querySelector('.handout-flow');
if (window.datadeckCharts) window.datadeckCharts.draw(document, { vector: true });
void Promise.all([whenChartsDrawn(), document.fonts ? document.fonts.ready : Promise.resolve()]).then(() => {
  if (!flow) throw new Error('the handout page has no .handout-flow');
  layout(flow);
});
