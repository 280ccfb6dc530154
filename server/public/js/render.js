// DOM building. Every value from a token is put in with textContent, never as HTML: a pasted token is
// attacker-controlled text, and this page must not become an XSS vector for it.
import { CLAIM_DOCS, HEADER_DOCS, humanTime, isTimeClaim } from './claims.js';

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child !== undefined && child !== null) node.append(child);
  return node;
}

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
}

/** Pretty JSON with a little colour: keys, strings, numbers, literals in their own spans. */
export function renderJSON(target, value) {
  clear(target);
  const text = JSON.stringify(value, null, 2) ?? '';
  const pattern = /("(?:\\.|[^"\\])*")(\s*:)?|\b(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\b|\b(true|false|null)\b/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    target.append(text.slice(last, m.index));
    if (m[1]) {
      target.append(el('span', { class: m[2] ? 'j-key' : 'j-str' }, m[1]));
      if (m[2]) target.append(m[2]);
    } else if (m[3]) target.append(el('span', { class: 'j-num' }, m[3]));
    else target.append(el('span', { class: 'j-lit' }, m[4]));
    last = m.index + m[0].length;
  }
  target.append(text.slice(last));
}

function shown(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A table row per member: name, value, and what it means (times as "expires in 14 min"). */
export function renderMembers(table, object, kind, now) {
  const body = table.tBodies[0];
  clear(body);
  if (!object) return;
  const docs = kind === 'header' ? HEADER_DOCS : CLAIM_DOCS;
  for (const [name, value] of Object.entries(object)) {
    const explanation = Object.hasOwn(docs, name) ? docs[name] : '';
    const detail = kind === 'payload' && isTimeClaim(name) ? humanTime(name, value, now) : undefined;
    body.append(
      el(
        'tr',
        { 'data-claim': name },
        el('th', { scope: 'row' }, name),
        el(
          'td',
          { class: 'value' },
          shown(value),
          detail ? el('div', { class: 'time', 'data-time': name }, detail) : undefined,
        ),
        el('td', { class: 'doc' }, explanation),
      ),
    );
  }
}

export function renderWarnings(list, warnings) {
  clear(list);
  for (const w of warnings) list.append(el('li', { class: `w-${w.level}` }, w.text));
}
