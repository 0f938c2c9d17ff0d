/**
 * A small RFC 5545 reader for tests: unfolds lines, splits properties into name, parameters and
 * value, and groups them into the calendar and its VEVENTs. Enough to check what we generate
 * without trusting the generator.
 */
export interface IcsProp {
  name: string;
  params: Record<string, string>;
  value: string;
}

export interface IcsComponent {
  props: IcsProp[];
  get(name: string): IcsProp | undefined;
  all(name: string): IcsProp[];
}

function component(props: IcsProp[]): IcsComponent {
  return {
    props,
    get: (n) => props.find((p) => p.name === n),
    all: (n) => props.filter((p) => p.name === n),
  };
}

export function parseIcs(text: string): { calendar: IcsComponent; events: IcsComponent[] } {
  if (!/\r\n/.test(text)) throw new Error('iCalendar lines must end with CRLF');
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n').filter((l) => l.length);
  const cal: IcsProp[] = [];
  const events: IcsComponent[] = [];
  const stack: string[] = [];
  let current: IcsProp[] | null = null;
  for (const line of lines) {
    const colon = findColon(line);
    const head = line.slice(0, colon);
    const value = line.slice(colon + 1);
    const [name, ...rawParams] = head.split(';');
    const params: Record<string, string> = {};
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"|"$/g, '');
    }
    const prop = { name: name!.toUpperCase(), params, value };
    if (prop.name === 'BEGIN') {
      stack.push(value);
      if (value === 'VEVENT') current = [];
      continue;
    }
    if (prop.name === 'END') {
      if (stack.pop() !== value) throw new Error(`unbalanced END:${value}`);
      if (value === 'VEVENT' && current) {
        events.push(component(current));
        current = null;
      }
      continue;
    }
    if (current) current.push(prop);
    else if (stack.length === 1 && stack[0] === 'VCALENDAR') cal.push(prop);
  }
  if (stack.length) throw new Error('unterminated component');
  return { calendar: component(cal), events };
}

/** the first colon outside a quoted parameter value */
function findColon(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) return i;
  }
  throw new Error(`no colon in line: ${line}`);
}

/** TEXT value unescaping (\\n, \\, \\; \\\\) */
export function icsText(v: string | undefined): string {
  return (v ?? '').replace(/\\([nN,;\\])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** 20261123T101500Z (or with TZID=UTC and no Z) as a Date */
export function icsDate(p: IcsProp | undefined): Date {
  if (!p) throw new Error('missing date property');
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?$/.exec(p.value);
  if (!m) throw new Error(`unexpected date ${p.value}`);
  if (!p.value.endsWith('Z') && p.params.TZID && p.params.TZID !== 'UTC' && p.params.TZID !== 'Etc/UTC') throw new Error(`unexpected TZID ${p.params.TZID}`);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

/** RFC 4180 reader (quoted fields, doubled quotes, CRLF) */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
