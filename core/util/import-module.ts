// import() of a module outside cairn's code (the DuckDB package, a project's task file).
//
// The CLI runs as a vm.Script with V8's code cache (cli/launch.ts). In Node 20 a function V8
// restores from that cache has lost its script's import() callback ("A dynamic import callback was
// not specified"), so the launcher lends its own import(), which resolves from the same folder.
type Importer = (specifier: string) => Promise<unknown>;

export function importModule<T>(specifier: string): Promise<T> {
  const host = (globalThis as { __cairnImport?: Importer }).__cairnImport;
  return (host ? host(specifier) : import(specifier)) as Promise<T>;
}
