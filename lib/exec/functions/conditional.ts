// Hive's conditional functions as DuckDB SQL.
import type { Render } from './render.js';

export const CONDITIONAL_RENDERERS: Record<string, Render> = {
  if: (a) => `(CASE WHEN ${a[0]} THEN ${a[1]} ELSE ${a[2]} END)`,
  nvl: (a) => `coalesce(${a.join(', ')})`,
  coalesce: (a) => `coalesce(${a.join(', ')})`,
  nullif: (a) => `nullif(${a[0]}, ${a[1]})`,
  isnull: (a) => `(${a[0]} IS NULL)`,
  isnotnull: (a) => `(${a[0]} IS NOT NULL)`,
  // a NULL condition fails as a false one does
  assert_true: (a) => `CAST(CASE WHEN ${a[0]} IS NULL OR NOT ${a[0]} THEN error('ASSERT_TRUE(): assertion failed.') END AS INTEGER)`,
};
