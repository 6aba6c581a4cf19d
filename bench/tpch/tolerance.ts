// Answer tolerance as TPC-H's query validation allows it (specification clause 2.1.3.5):
// counts and other integral values must match exactly; SUMs of money may differ by up
// to $100; AVGs and ratios by 1% when reported to the nearest 1/100. Without knowing which
// aggregate a column holds, a non-integral value must meet both the $100 and the 1% rule,
// or agree at 1/100 (tiny ratios, where 1% is below the reporting precision).
const MONEY = 100;
const RELATIVE = 0.01;
const REPORTED = 0.005;

export function tpchNumbersMatch(x: number, y: number): boolean {
  if (Number.isInteger(x) && Number.isInteger(y)) return x === y;
  const d = Math.abs(x - y);
  if (d < REPORTED) return true;
  return d <= MONEY && d <= RELATIVE * Math.max(Math.abs(x), Math.abs(y));
}
