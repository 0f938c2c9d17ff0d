/** Previous / next paging for the admin tables: "21–40 of 75". */
export function Pager({ offset, count, total, pageSize, onPage, label }: { offset: number; count: number; total: number; pageSize: number; onPage: (offset: number) => void; label: string }) {
  if (total === 0) return null;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" className="button button-small" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - pageSize))}>
        Previous
      </button>
      <span className="muted" data-testid="pager-range">
        {offset + 1}–{offset + count} of {total}
      </span>
      <button type="button" className="button button-small" disabled={offset + count >= total} onClick={() => onPage(offset + pageSize)}>
        Next
      </button>
    </nav>
  );
}
