// A minimal JSON-to-CSV writer for the Node contender of ./build.ps1 -Task Bench (the Node client has none),
// and the RFC 4180 reader the Bench task uses to check every contender's CSV.
import { openSync, writeSync, closeSync, createReadStream } from 'node:fs';

/**
 * The full column set of the rows, in the order the rows give it: Avanti leaves a column out of a row that has no
 * data for it, so a column first seen late is placed after the column that precedes it in that row.
 */
export function columnsOf(rows) {
  const columns = [];
  const seen = new Set();
  for (const row of rows) {
    const keys = Object.keys(row);
    if (keys.every(key => seen.has(key))) continue;
    let previous = -1;
    for (const key of keys) {
      if (seen.has(key)) {
        previous = columns.indexOf(key);
      } else {
        seen.add(key);
        columns.splice(++previous, 0, key);
      }
    }
  }
  return columns;
}

const needsQuotes = /[",\r\n]/;

/** One CSV field, RFC 4180: quoted when it holds a quote, comma, CR or LF, with quotes doubled. */
export function csvField(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return needsQuotes.test(text) ? '"' + text.replaceAll('"', '""') + '"' : text;
}

/** Writes the rows as CSV (header + one record per row, CRLF line ends, UTF-8 without BOM). */
export function writeCsv(rows, path) {
  const columns = columnsOf(rows);
  const fd = openSync(path, 'w');
  try {
    let chunk = columns.map(csvField).join(',') + '\r\n';
    for (const row of rows) {
      let line = '';
      for (let i = 0; i < columns.length; i++) {
        if (i > 0) line += ',';
        line += csvField(row[columns[i]]);
      }
      chunk += line + '\r\n';
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    if (chunk.length > 0) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return columns;
}

/**
 * Reads a CSV file (RFC 4180: quoted fields may hold commas, quotes and line breaks; CRLF or LF line ends) and
 * returns the header, the number of records after it, whether it starts with a UTF-8 BOM, and the records whose
 * index (0 = first record after the header) is in `wanted`.
 */
export async function readCsv(path, wanted = new Set()) {
  let header = null;
  let records = 0;
  let bom = false;
  const samples = {};
  let field = '';
  let fields = [];
  let quoted = false;      // inside a quoted field
  let afterQuote = false;  // just saw a quote inside a quoted field (an escaped quote or the field's end)
  let first = true;
  const endRecord = () => {
    fields.push(field);
    field = '';
    if (header === null) header = fields;
    else {
      if (wanted.has(records)) samples[records] = fields;
      records++;
    }
    fields = [];
  };
  let pendingCR = false;
  let atRecordStart = true;
  for await (let text of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) { bom = true; text = text.slice(1); }
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (pendingCR) {
        pendingCR = false;
        if (c === '\n') continue;
      }
      if (quoted) {
        if (afterQuote) {
          afterQuote = false;
          if (c === '"') { field += '"'; continue; }
          quoted = false; // the closing quote: fall through to handle c unquoted
        } else if (c === '"') { afterQuote = true; continue; } else { field += c; continue; }
      }
      atRecordStart = false;
      if (c === ',') { fields.push(field); field = ''; }
      else if (c === '\r' || c === '\n') { endRecord(); atRecordStart = true; pendingCR = c === '\r'; }
      else if (c === '"' && field.length === 0) quoted = true;
      else field += c;
    }
  }
  if (quoted && afterQuote) quoted = false;
  if (!atRecordStart || fields.length > 0 || field.length > 0) endRecord();
  return { header: header ?? [], records, bom, samples };
}

/** The record indexes the Bench task compares across contenders: the first five, 40 spread evenly, the last. */
export function sampleIndexes(count) {
  const picked = new Set();
  for (let i = 0; i < Math.min(5, count); i++) picked.add(i);
  for (let k = 1; k <= 40 && count > 0; k++) picked.add(Math.floor((count - 1) * k / 41));
  if (count > 0) picked.add(count - 1);
  return [...picked].sort((a, b) => a - b);
}
