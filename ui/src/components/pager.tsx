/** Previous/next links over an offset-paged list ("51–100 of 10,000"); links, so the page is in the URL. */
export interface PagerProps {
  offset: number;
  limit: number;
  total: number;
  hrefFor: (offset: number) => string;
}

export function Pager({ offset, limit, total, hrefFor }: PagerProps) {
  if (total <= limit && offset === 0) return null;
  const last = Math.max(0, Math.floor((total - 1) / limit) * limit);
  return (
    <nav class="pager" aria-label="Pages">
      {offset > 0 ? <a href={hrefFor(0)}>« First</a> : <span class="muted">« First</span>}
      {offset > 0 ? <a href={hrefFor(Math.max(0, offset - limit))}>‹ Previous</a> : <span class="muted">‹ Previous</span>}
      <span>
        {(offset + 1).toLocaleString()}–{Math.min(offset + limit, total).toLocaleString()} of {total.toLocaleString()}
      </span>
      {offset + limit < total ? <a href={hrefFor(offset + limit)}>Next ›</a> : <span class="muted">Next ›</span>}
      {offset < last ? <a href={hrefFor(last)}>Last »</a> : <span class="muted">Last »</span>}
    </nav>
  );
}
