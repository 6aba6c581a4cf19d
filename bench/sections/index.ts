// The extra sections `npm run bench` runs after the queries, in this order. Add yours here.
import type { BenchSection } from './section.js';
import { shuffleRequests } from './shuffle-requests.js';
import { speculation } from './speculation.js';
import { udf } from './udf.js';
import { writes } from './writes.js';

export const SECTIONS: readonly BenchSection[] = [shuffleRequests, writes, udf, speculation];
