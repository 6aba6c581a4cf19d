// Makes the demo's web-shop data: customers and three days of orders, as Hive text
// files (\u0001-delimited) the demo job loads. Deterministic: a seeded generator.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES = ['DE', 'FR', 'NL', 'US', 'GB', 'ES', 'IT', 'SE'];
const SEGMENTS = ['consumer', 'business', 'reseller'];
const STATUSES = ['paid', 'paid', 'paid', 'refunded', 'cancelled'];
export const DAYS = ['2024-01-01', '2024-01-02', '2024-01-03'];

export async function generateDemo(dir: string, customers = 2000, ordersPerDay = 20000): Promise<void> {
  const r = rng(42);
  await mkdir(join(dir, 'orders'), { recursive: true });
  const c: string[] = [];
  for (let i = 1; i <= customers; i++) {
    // A few customers have no country: NULLs are part of real data.
    const country = r() < 0.02 ? '\\N' : COUNTRIES[Math.floor(r() * COUNTRIES.length)]!;
    c.push([i, `customer_${i}`, country, SEGMENTS[Math.floor(r() * SEGMENTS.length)]].join('\u0001'));
  }
  await writeFile(join(dir, 'customers.txt'), c.join('\n') + '\n');
  let id = 1;
  for (const day of DAYS) {
    const o: string[] = [];
    for (let i = 0; i < ordersPerDay; i++) {
      // Skewed: a tenth of the customers place half of the orders.
      const cust = r() < 0.5 ? 1 + Math.floor(r() * customers / 10) : 1 + Math.floor(r() * customers);
      const amount = (5 + r() * 495).toFixed(2);
      const hour = String(Math.floor(r() * 24)).padStart(2, '0');
      o.push([id++, cust, amount, STATUSES[Math.floor(r() * STATUSES.length)], `${day} ${hour}:00:00`].join('\u0001'));
    }
    await writeFile(join(dir, 'orders', `${day}.txt`), o.join('\n') + '\n');
  }
}
