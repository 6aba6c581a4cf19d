import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { isShoalError } from '../../lib/common/errors.js';
import { LocalStore } from '../../lib/store/local-store.js';
import { openStore, parseStoreUri } from '../../lib/store/open-store.js';
import { S3Store } from '../../lib/store/s3-store.js';

test('parseStoreUri reads s3, file and plain-path roots', () => {
  assert.deepEqual(parseStoreUri('s3://bucket'), { kind: 's3', bucket: 'bucket', prefix: '' });
  assert.deepEqual(parseStoreUri('s3://bucket/'), { kind: 's3', bucket: 'bucket', prefix: '' });
  assert.deepEqual(parseStoreUri('s3://bucket/a/b/'), { kind: 's3', bucket: 'bucket', prefix: 'a/b' });
  assert.deepEqual(parseStoreUri('file:///tmp/wh'), { kind: 'file', dir: '/tmp/wh' });
  assert.deepEqual(parseStoreUri('file:///tmp/with%20space'), { kind: 'file', dir: '/tmp/with space' });
  assert.deepEqual(parseStoreUri('warehouse'), { kind: 'file', dir: path.resolve('warehouse') });
  assert.deepEqual(parseStoreUri('/abs/wh'), { kind: 'file', dir: '/abs/wh' });
  for (const bad of ['', 's3://', 's3:///prefix', 'gs://bucket/x', 'file://host/x']) {
    assert.throws(() => parseStoreUri(bad), (e) => isShoalError(e), bad);
  }
});

test('openStore picks the store by scheme', () => {
  const s3 = openStore('s3://bkt/pre/fix');
  assert.ok(s3 instanceof S3Store);
  assert.equal(s3.root, 's3://bkt/pre/fix');
  assert.equal(s3.prefix, 'pre/fix/');
  (s3 as S3Store).client.destroy();
  const local = openStore('file:///tmp/shoal-wh');
  assert.ok(local instanceof LocalStore);
  assert.equal(local.root, 'file:///tmp/shoal-wh');
  assert.ok(openStore('some/dir') instanceof LocalStore);
});
