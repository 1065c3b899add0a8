// The handout page (handout.html, printed as handout.pdf): draws the charts for paper, then lays
// the cover, the slide cards and the sources out on A4 sheets, one or two cards a sheet, a card
// too long for one sheet continued on the next, with the deck's title and page numbers at the foot
// of each. Announces window.datadeckHandoutReady and, for the PDF's outline, the sheet each card
// starts on (window.datadeckHandoutOutline).
(function () {
  'use strict';

  var body = document.body;
  var flow = document.querySelector('.handout-flow');
  var fill = function (pattern, values) {
    return pattern.replace(/\{(\w+)\}/g, function (whole, key) { return key in values ? String(values[key]) : whole; });
  };

  function newSheet(container) {
    var sheet = document.createElement('div');
    sheet.className = 'sheet';
    var content = document.createElement('div');
    content.className = 'sheet-body';
    var footer = document.createElement('footer');
    footer.className = 'sheet-footer';
    sheet.appendChild(content);
    sheet.appendChild(footer);
    container.appendChild(sheet);
    return { sheet: sheet, content: content, footer: footer };
  }

  function fits(sheet) {
    return sheet.content.scrollHeight <= sheet.content.clientHeight + 1;
  }

  // The parts of a block that may go on to the next sheet, last first.
  function movableParts(block) {
    return Array.prototype.slice.call(block.querySelectorAll('.card-notes > p, .card-claims > li, .card-sources > li, .sources > li')).reverse();
  }

  // An empty copy of a block to hold what did not fit: same lists, a heading saying "continued".
  function continuation(block) {
    var copy = document.createElement(block.tagName);
    copy.className = block.className + ' continued';
    var heading = block.querySelector('h2');
    if (heading) {
      var title = document.createElement('p');
      title.className = heading.className + ' continued-heading';
      title.textContent = fill(body.dataset.continuedPattern || '{title}', { title: heading.getAttribute('data-title') || heading.textContent });
      copy.appendChild(title);
    }
    Array.prototype.forEach.call(block.querySelectorAll('.card-notes, .card-claims, .card-sources, .sources'), function (list) {
      var empty = document.createElement(list.tagName);
      empty.className = list.className;
      if (list.hasAttribute('data-heading')) empty.setAttribute('data-heading', list.getAttribute('data-heading'));
      copy.appendChild(empty);
    });
    return copy;
  }

  function moveInto(copy, part) {
    var list = copy.querySelector('.' + part.parentNode.className.split(' ')[0]);
    list.insertBefore(part, list.firstChild);
  }

  function layout() {
    var blocks = Array.prototype.slice.call(flow.children);
    var container = document.createElement('div');
    container.className = 'sheets';
    flow.replaceWith(container);
    var sheets = [];
    var sheet = null;
    blocks.forEach(function (block, index) {
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
      var current = block;
      while (!fits(sheet)) {
        var parts = movableParts(current);
        if (parts.length <= 1) break;
        var copy = continuation(current);
        for (var i = 0; i < parts.length - 1 && !fits(sheet); i += 1) moveInto(copy, parts[i]);
        sheet = newSheet(container);
        sheets.push(sheet);
        sheet.content.appendChild(copy);
        current = copy;
      }
    });
    var title = body.dataset.title || document.title;
    sheets.forEach(function (each, index) {
      var name = document.createElement('span');
      name.className = 'deck-title';
      name.textContent = title;
      var number = document.createElement('span');
      number.className = 'page-number';
      number.textContent = fill(body.dataset.pagePattern || '{page}/{pages}', { page: index + 1, pages: sheets.length });
      each.footer.appendChild(name);
      each.footer.appendChild(number);
    });
    var sheetOf = function (element) {
      var owner = element.closest('.sheet');
      return Array.prototype.indexOf.call(container.children, owner);
    };
    Array.prototype.forEach.call(document.querySelectorAll('.page-ref[data-target]'), function (reference) {
      var target = document.getElementById(reference.getAttribute('data-target'));
      if (target) reference.textContent = fill(body.dataset.pageRefPattern || '{page}', { page: sheetOf(target) + 1 });
    });
    window.datadeckHandoutOutline = Array.prototype.map.call(document.querySelectorAll('h2[data-title]'), function (heading) {
      return { title: heading.getAttribute('data-title'), page: sheetOf(heading) };
    });
    window.datadeckHandoutReady = true;
  }

  function whenChartsDrawn() {
    return new Promise(function (resolve) {
      if (window.datadeckChartsDrawn) return resolve();
      document.addEventListener('datadeck:charts-drawn', function () { resolve(); }, { once: true });
    });
  }

  if (window.datadeckCharts) window.datadeckCharts.draw(document, { vector: true });
  Promise.all([whenChartsDrawn(), document.fonts ? document.fonts.ready : Promise.resolve()]).then(layout);
})();
