/**
 * Matrix filters (progressive enhancement): by group and by platform, kept in the query string so a
 * filtered view can be shared. Rows whose technique and sub-techniques all fail the filter hide.
 */
const words = (value: string | undefined) => (value ? value.split(' ') : []);

export function initMatrix(): void {
  const matrix = document.getElementById('matrix');
  const group = document.getElementById('filter-group') as HTMLSelectElement | null;
  const platform = document.getElementById('filter-platform') as HTMLSelectElement | null;
  const all = document.getElementById('view-all') as HTMLInputElement | null;
  const count = document.getElementById('matrix-count');
  if (!matrix || !group || !platform || !all || !count) return;
  for (const el of document.querySelectorAll<HTMLElement>('[data-needs-js]')) el.hidden = false;

  const params = new URLSearchParams(location.search);
  const pick = (select: HTMLSelectElement, value: string | null) => {
    if (value !== null && [...select.options].some((o) => o.value === value)) select.value = value;
  };
  pick(group, params.get('group'));
  pick(platform, params.get('platform'));
  if (params.get('view') === 'all') all.checked = true;

  const total = matrix.querySelectorAll('.cell--overlay').length;
  const matches = (cell: HTMLElement | null, g: string, p: string) =>
    !!cell && (g === '' || words(cell.dataset.g).includes(g)) && (p === '' || words(cell.dataset.p).includes(p));

  const apply = () => {
    const g = group.value;
    const p = platform.value;
    for (const li of matrix.querySelectorAll<HTMLLIElement>(':scope li.tech:not(.tech--sub)')) {
      const cell = li.querySelector<HTMLElement>(':scope > .cell');
      const own = matches(cell, g, p);
      if (cell) cell.hidden = !own;
      let any = own;
      for (const sub of li.querySelectorAll<HTMLLIElement>('li.tech--sub')) {
        const ok = matches(sub.querySelector<HTMLElement>('.cell'), g, p);
        sub.hidden = !ok;
        any ||= ok;
      }
      li.hidden = !any;
    }
    const shown = [...matrix.querySelectorAll<HTMLElement>('.cell--overlay')].filter((c) => !c.hidden && !c.closest('li[hidden]')).length;
    count.textContent = g === '' && p === '' ? `${total} overlay techniques` : `${shown} of ${total} overlay techniques match`;
    const next = new URLSearchParams();
    if (g !== '') next.set('group', g);
    if (p !== '') next.set('platform', p);
    if (all.checked) next.set('view', 'all');
    const query = next.toString();
    history.replaceState(null, '', query ? `?${query}` : location.pathname);
  };
  group.addEventListener('change', apply);
  platform.addEventListener('change', apply);
  all.addEventListener('change', apply);
  apply();
}
