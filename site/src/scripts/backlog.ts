/**
 * Backlog sorting and filtering (progressive enhancement). Column headers become buttons; the sort
 * state is announced through aria-sort. Ties fall back to the server's priority order.
 */
type Direction = 'ascending' | 'descending';

export function initBacklog(): void {
  const table = document.getElementById('backlog') as HTMLTableElement | null;
  const form = document.getElementById('backlog-filters');
  if (!table || !form) return;
  form.hidden = false;
  form.addEventListener('submit', (event) => event.preventDefault());
  const body = table.tBodies[0];
  const rows = [...body.rows];
  const state = document.getElementById('filter-state') as HTMLSelectElement;
  const group = document.getElementById('filter-group') as HTMLSelectElement;
  const text = document.getElementById('filter-text') as HTMLInputElement;
  const count = document.getElementById('backlog-count')!;
  const headers = [...table.tHead!.rows[0].cells] as HTMLTableCellElement[];

  const value = (row: HTMLTableRowElement, key: string, type: string): string | number => {
    const raw = row.dataset[key] ?? '';
    return type === 'number' ? Number(raw) : raw.toLowerCase();
  };

  const sortBy = (th: HTMLTableCellElement, direction: Direction) => {
    const key = th.dataset.sort!;
    const type = th.dataset.type ?? 'text';
    const sign = direction === 'ascending' ? 1 : -1;
    const sorted = [...rows].sort((a, b) => {
      const x = value(a, key, type);
      const y = value(b, key, type);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return c * sign || Number(a.dataset.rank) - Number(b.dataset.rank);
    });
    for (const h of headers) h.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', direction);
    body.append(...sorted);
  };

  for (const th of headers) {
    if (!th.dataset.sort) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort';
    button.append(...th.childNodes);
    th.append(button);
    button.addEventListener('click', () => {
      const current = th.getAttribute('aria-sort');
      // Numbers start high (priority, groups), text starts at A.
      const first: Direction = th.dataset.type === 'number' && th.dataset.sort !== 'rank' && th.dataset.sort !== 'state' ? 'descending' : 'ascending';
      sortBy(th, current === first ? (first === 'ascending' ? 'descending' : 'ascending') : first);
    });
  }

  const filter = () => {
    const s = state.value;
    const g = group.value;
    const q = text.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows) {
      const ok =
        (s === '' || row.dataset.stateName === s) &&
        (g === '' || (row.dataset.groupIds ?? '').split(' ').includes(g)) &&
        (q === '' || (row.textContent ?? '').toLowerCase().includes(q));
      row.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = shown === rows.length ? `${rows.length} techniques` : `${shown} of ${rows.length} techniques shown`;
  };
  state.addEventListener('change', filter);
  group.addEventListener('change', filter);
  text.addEventListener('input', filter);
  filter();
}
