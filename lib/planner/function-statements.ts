// ADD JAR|FILE, CREATE [TEMPORARY] FUNCTION and DROP [TEMPORARY] FUNCTION while a script is
// planned. A function's module is read (from an allowed location only), hashed, imported
// from exactly those bytes, and its export checked against its kind and signature before
// anything runs; its bytes go to the warehouse once, content-addressed (blobKey), where
// tasks fetch them by hash. Temporary functions live for the script; permanent ones become
// a catalog action that the commit applies like any other DDL.
import { isShoalError, sqlError, type SourcePos } from '../common/errors.js';
import type { CatalogState, FunctionMeta } from '../catalog/model.js';
import type * as A from '../sql/ast.js';
import type { DdlAction } from '../plan/job.js';
import { GENERATORS } from '../plan/bind-generate.js';
import { AGGREGATES, SCALARS } from '../plan/functions.js';
import { userFunctions, type UserFunctions } from '../plan/user-functions.js';
import type { ObjectStore } from '../store/object-store.js';
import { blobKey, type UdfDef } from '../udf/model.js';
import { importModuleBytes, moduleHash } from '../udf/module.js';
import { signatureOf } from '../udf/signature.js';
import { readModuleSource, resolveLocation, type ModuleSource } from '../udf/source.js';

export interface FunctionSessionOptions {
  /** relative module paths are relative to it (the script's directory) */
  readonly baseDir: string;
  /** prefixes modules may be read from (see udf/source.ts) */
  readonly allowed: readonly string[];
  /** the warehouse, where modules are uploaded; absent when only explaining */
  readonly store?: ObjectStore;
}

interface Loaded extends ModuleSource { readonly namespace: Record<string, unknown> }

export class FunctionSession {
  /** the script's temporary functions by name */
  readonly temporary = new Map<string, UdfDef>();
  /** modules added by ADD JAR|FILE, in order */
  private readonly added: Loaded[] = [];
  /** hashes whose blob is known to be in the warehouse */
  private readonly stored = new Set<string>();

  constructor(private readonly opts: FunctionSessionOptions) {}

  functions(catalog: CatalogState, currentDb: string): UserFunctions {
    return userFunctions(catalog, currentDb, this.temporary);
  }

  /** ADD JAR|FILE: each module is read and must load now (as Hive checks an added file exists). */
  async add(s: A.AddResourceStatement): Promise<void> {
    for (const p of s.paths) {
      const m = await this.load(p, s.pos);
      if (!this.added.some((a) => a.location === m.location && a.hash === m.hash)) this.added.push(m);
    }
  }

  /** CREATE FUNCTION: the catalog action for a permanent function; a temporary one is recorded here and needs none. */
  async create(s: A.CreateFunctionStatement, catalog: CatalogState, currentDb: string): Promise<DdlAction | undefined> {
    const name = s.name.name.toLowerCase();
    if (s.temporary && s.name.db) throw sqlError(`a temporary function cannot belong to a database; write CREATE TEMPORARY FUNCTION ${name}`, s.name.pos);
    if (Object.hasOwn(SCALARS, name) || Object.hasOwn(AGGREGATES, name) || (GENERATORS as readonly string[]).includes(name))
      throw sqlError(`'${name}' is a built-in function; a user function needs another name`, s.name.pos);
    const db = (s.name.db ?? currentDb).toLowerCase();
    if (!s.temporary) {
      if (!catalog.databases[db]) throw sqlError(`database '${db}' does not exist`, s.name.pos);
      if (catalog.databases[db]!.functions?.[name]) throw sqlError(`function '${db}.${name}' already exists`, s.name.pos);
    }
    const { module, exportName } = await this.moduleFor(s);
    let sig;
    try {
      sig = signatureOf(module.namespace, exportName, {
        ...(s.signature && { args: s.signature.args, returns: s.signature.returns, table: s.signature.table }),
        ...(s.nullOnNullInput !== undefined && { nullOnNullInput: s.nullOnNullInput }),
      });
    } catch (e) {
      if (isShoalError(e)) throw sqlError(`module ${module.location}: ${e.message}`, s.classPos);
      throw e;
    }
    await this.upload(module);
    const def: UdfDef = {
      name: s.temporary ? name : `${db}.${name}`, kind: sig.kind, export: exportName, hash: module.hash, location: module.location,
      args: sig.args, returns: sig.returns, nullOnNullInput: sig.nullOnNullInput, temporary: s.temporary,
    };
    if (s.temporary) {
      // As in Hive, creating a temporary function again replaces it.
      this.temporary.set(name, def);
      return undefined;
    }
    const fn: FunctionMeta = {
      db, name, kind: def.kind, export: def.export, hash: def.hash, location: def.location,
      args: def.args, returns: def.returns, nullOnNullInput: def.nullOnNullInput, createdAt: Date.now(),
    };
    return { kind: 'createFunction', fn };
  }

  /** DROP FUNCTION: the catalog action for a permanent function; a temporary one is forgotten here. */
  drop(s: A.DropFunctionStatement, catalog: CatalogState, currentDb: string): DdlAction | undefined {
    const name = s.name.name.toLowerCase();
    if (s.temporary) {
      if (s.name.db) throw sqlError(`a temporary function cannot belong to a database; write DROP TEMPORARY FUNCTION ${name}`, s.name.pos);
      if (!this.temporary.delete(name) && !s.ifExists) throw sqlError(`temporary function '${name}' does not exist`, s.name.pos);
      return undefined;
    }
    const db = (s.name.db ?? currentDb).toLowerCase();
    if (!catalog.databases[db]?.functions?.[name] && !s.ifExists) {
      const hint = !s.name.db && this.temporary.has(name) ? `; '${name}' is a temporary function: DROP TEMPORARY FUNCTION ${name}` : '';
      throw sqlError(`function '${db}.${name}' does not exist${hint}`, s.name.pos);
    }
    return { kind: 'dropFunction', db, name, ifExists: s.ifExists };
  }

  /**
   * The permanent functions a statement calls must have their module, unchanged, in this
   * warehouse: checked once per module, so a job fails at planning rather than in its tasks.
   */
  async checkStored(defs: readonly UdfDef[], pos: SourcePos): Promise<void> {
    const store = this.opts.store;
    if (!store) return;
    for (const d of defs) {
      if (this.stored.has(d.hash)) continue;
      const bytes = await store.get(blobKey(d.hash)).catch(() => undefined);
      if (!bytes)
        throw sqlError(`the module of function ${d.name} (${d.location}, sha256 ${d.hash}) is missing from the warehouse at ${blobKey(d.hash)}; create the function again`, pos);
      const found = moduleHash(bytes);
      if (found !== d.hash)
        throw sqlError(`the module of function ${d.name} at ${blobKey(d.hash)} has changed (sha256 ${found}, the catalog expects ${d.hash}); put the module from ${d.location} back there or create the function again`, pos);
      this.stored.add(d.hash);
    }
  }

  private async load(path: string, pos: SourcePos): Promise<Loaded> {
    const src = await readModuleSource(resolveLocation(path, this.opts.baseDir), this.opts.allowed, pos);
    try {
      return { ...src, namespace: await importModuleBytes(src.bytes, src.hash) };
    } catch (e) {
      throw sqlError(`module ${src.location} does not load: ${e instanceof Error ? e.message : String(e)}`, pos);
    }
  }

  /**
   * The module and export a CREATE FUNCTION names: `USING` modules, else those added by ADD
   * JAR|FILE; `AS 'module#export'` picks a module by file name (with or without extension),
   * a bare export name the one module that has it.
   */
  private async moduleFor(s: A.CreateFunctionStatement): Promise<{ module: Loaded; exportName: string }> {
    const using: Loaded[] = [];
    for (const r of s.resources) using.push(await this.load(r.path, r.pos));
    const candidates = using.length ? using : this.added;
    if (candidates.length === 0)
      throw sqlError(`no module for function '${s.name.name}': add USING FILE 'path/to/module.mjs', or ADD FILE 'path' before it`, s.classPos);
    const hashAt = s.className.lastIndexOf('#');
    const exportName = hashAt >= 0 ? s.className.slice(hashAt + 1) : s.className;
    if (exportName === '') throw sqlError(`'${s.className}' names no export; write 'module#export' or 'export'`, s.classPos);
    if (hashAt >= 0) {
      const wanted = s.className.slice(0, hashAt);
      const file = (m: Loaded) => m.location.split(/[\\/]/).pop()!;
      const hit = candidates.filter((m) => file(m) === wanted || file(m).replace(/\.(mjs|js)$/i, '') === wanted || m.location.endsWith(`/${wanted}`));
      if (hit.length !== 1)
        throw sqlError(`${hit.length ? 'several' : 'no'} added module${hit.length ? 's are' : ' is'} named '${wanted}'; modules: ${candidates.map((m) => m.location).join(', ')}`, s.classPos);
      return { module: hit[0]!, exportName };
    }
    if (candidates.length === 1) return { module: candidates[0]!, exportName };
    const having = candidates.filter((m) => Object.hasOwn(m.namespace, exportName));
    if (having.length === 1) return { module: having[0]!, exportName };
    throw sqlError(`${having.length ? 'several' : 'none'} of the modules ${candidates.map((m) => m.location).join(', ')} export '${exportName}'; write 'module#${exportName}'`, s.classPos);
  }

  /**
   * Each module once per job; put-if-absent, so identical content is shared. A blob found
   * there with other bytes (overwritten by hand) is put right: the key names its content.
   */
  private async upload(m: Loaded): Promise<void> {
    const store = this.opts.store;
    if (!store || this.stored.has(m.hash)) return;
    if (!(await store.putIfAbsent(blobKey(m.hash), m.bytes)) && moduleHash(await store.get(blobKey(m.hash))) !== m.hash)
      await store.put(blobKey(m.hash), m.bytes);
    this.stored.add(m.hash);
  }
}
