// The CLI prints values as Hive's CLI does: Java's Double.toString and Float.toString for
// DOUBLE/FLOAT, decimals at their scale, complex values as SerDeUtils.getJSONString writes
// them. Expected texts are Java's documented outputs (Double.toString: plain with at least
// one fraction digit in [10^-3, 10^7), else d.dddE±n).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hiveText } from '../../lib/cli/format.js';
import { parseType } from '../../lib/sql/parse-type.js';
import { TokenStream } from '../../lib/sql/token-stream.js';
import { javaDoubleString } from '../../lib/common/java-number.js';

const col = (type: string) => ({ name: 'c', type: parseType(new TokenStream(type)) });

test('Java Double.toString: plain in [1e-3, 1e7) with a fraction digit, scientific outside', () => {
  const cases: [number, string][] = [[1, '1.0'], [0, '0.0'], [-2.5, '-2.5'], [0.001, '0.001'], [1e-4, '1.0E-4'], [1e7, '1.0E7'],
    [12345678.5, '1.23456785E7'], [1e10, '1.0E10'], [-1.5e-7, '-1.5E-7'], [9999999, '9999999.0'], [NaN, 'NaN'], [-Infinity, '-Infinity']];
  for (const [x, want] of cases) assert.equal(javaDoubleString(x), want, String(x));
});

test('Java Float.toString: the shortest digits of the float', () => {
  assert.equal(javaDoubleString(Math.fround(0.1), true), '0.1');
  assert.equal(javaDoubleString(Math.fround(1 / 3), true), '0.33333334');
  assert.equal(javaDoubleString(Math.fround(1e10), true), '1.0E10');
});

test('top-level values: NULL, doubles as Java, decimals at their scale, strings bare', () => {
  assert.equal(hiveText(null, col('double')), 'NULL');
  assert.equal(hiveText(3, col('double')), '3.0');
  assert.equal(hiveText(1e-5, col('double')), '1.0E-5');
  assert.equal(hiveText(1.5, col('decimal(5,2)')), '1.50');
  assert.equal(hiveText('a"b', col('string')), 'a"b');
  assert.equal(hiveText(true, col('boolean')), 'true');
});

test('complex values as Hive JSON: quoted strings and dates, bare numbers and numeric map keys, null inside', () => {
  assert.equal(hiveText([1, 2.5, null], col('array<double>')), '[1.0,2.5,null]');
  assert.equal(hiveText({ 1: 'a', 2: null }, col('map<int,string>')), '{1:"a",2:null}');
  assert.equal(hiveText({ k: [1.5] }, col('map<string,array<double>>')), '{"k":[1.5]}');
  assert.equal(hiveText({ a: null, b: 'x"y', d: '2020-01-01' }, col('struct<a:int,b:string,d:date>')), '{"a":null,"b":"x\\"y","d":"2020-01-01"}');
  assert.equal(hiveText([{ x: 1 }], col('array<struct<x:bigint>>')), '[{"x":1}]');
});
