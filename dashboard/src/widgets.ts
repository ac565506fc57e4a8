// Small pieces every page uses: loading / empty / error states, tables, export buttons.
import { ApiFailure, download, type Query } from './api';
import { type Child, el, replace, uid } from './dom';

export const loading = (what: string) =>
  el('p', { class: 'status loading', role: 'status' }, `Loading ${what}…`);
export const empty = (message: string) => el('p', { class: 'status empty' }, message);

/** An error in words: the API envelope's message, or a plain sentence for anything else. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiFailure) return error.message;
  if (error instanceof Error && error.message) return `Something went wrong: ${error.message}`;
  return 'Something went wrong.';
}

export const failure = (error: unknown) =>
  el('p', { class: 'status error', role: 'alert' }, errorMessage(error));

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

/** The latest load of each target: an older one finishing late must not overwrite it. */
const latest = new WeakMap<Element, number>();
let loads = 0;

/**
 * Shows "Loading …" in `target`, then what `render` makes of the data, or the error in words.
 * A request aborted because the page changed, or overtaken by a newer load of the same target,
 * leaves the target alone.
 */
export async function load<T>(
  target: Element,
  what: string,
  fetcher: () => Promise<T>,
  render: (data: T) => Child,
): Promise<void> {
  const id = ++loads;
  latest.set(target, id);
  target.setAttribute('aria-busy', 'true');
  replace(target, loading(what));
  let content: Child;
  try {
    content = render(await fetcher());
  } catch (error) {
    if (isAbort(error)) return;
    content = failure(error);
  }
  if (latest.get(target) !== id) return;
  replace(target, content);
  target.removeAttribute('aria-busy');
}

export interface Column<R> {
  label: string;
  cell: (row: R) => Child;
  numeric?: boolean;
}

/**
 * A data table with a caption. On phones each row becomes a card, every cell labelled with its
 * column (data-label), so no column hides off-screen; the explicit roles keep it a table for
 * screen readers once CSS has made its parts blocks.
 */
export function table<R>(
  caption: string,
  columns: Column<R>[],
  rows: R[],
  attrs: Record<string, string> = {},
): HTMLElement {
  const id = uid('table');
  return el(
    'div',
    { class: 'table-scroll', role: 'region', 'aria-labelledby': id, tabindex: 0 },
    el(
      'table',
      { role: 'table', class: 'cards-on-phone', ...attrs },
      el('caption', { id }, caption),
      el(
        'thead',
        { role: 'rowgroup' },
        el(
          'tr',
          { role: 'row' },
          ...columns.map((c) =>
            el('th', { scope: 'col', role: 'columnheader', class: c.numeric ? 'num' : null }, c.label),
          ),
        ),
      ),
      el(
        'tbody',
        { role: 'rowgroup' },
        ...rows.map((row) =>
          el(
            'tr',
            { role: 'row' },
            ...columns.map((c) =>
              el('td', { role: 'cell', 'data-label': c.label, class: c.numeric ? 'num' : null }, c.cell(row)),
            ),
          ),
        ),
      ),
    ),
  );
}

/** A button that downloads one CSV export with the current filters (fetched with the key, saved as a Blob). */
export function exportButton(label: string, path: string, query: () => Query): HTMLElement {
  const status = el('span', { class: 'export-status', role: 'status' });
  const button = el('button', { type: 'button', class: 'secondary' }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.className = 'export-status';
    status.textContent = 'Preparing the file…';
    try {
      const filename = await download(path, query());
      status.textContent = `Saved ${filename}`;
    } catch (error) {
      status.className = 'export-status error';
      status.textContent = errorMessage(error);
    } finally {
      button.disabled = false;
    }
  });
  return el('div', { class: 'export' }, button, status);
}

/** A titled section of a page. */
export function section(title: string, ...children: Child[]): HTMLElement {
  const id = uid('section');
  return el('section', { class: 'panel', 'aria-labelledby': id }, el('h2', { id }, title), ...children);
}
