// Reads one contender's CSV for ./build.ps1 -Task Bench: node check-csv.mjs <file> <expected rows>.
// Prints one JSON line: header, records, bom, samples (the records at sampleIndexes(expected rows)).
import { readCsv, sampleIndexes } from './csv.mjs';

const [path, expected] = process.argv.slice(2);
const result = await readCsv(path, new Set(sampleIndexes(Number(expected))));
console.log(JSON.stringify(result));
