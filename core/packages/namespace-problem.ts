// What to tell a user whose template calls `<name>.<macro>(...)` when `<name>` holds no such macro.
// Kept apart from hints.ts: the renderer imports this, and it must not pull the package loader in.
import type { TemplateEnv } from '../templating/environment.js';
import { didYouMean } from '../util/did-you-mean.js';

/** A message and hint for `ns.member` that could not be called, when cairn knows better than nunjucks. */
export function namespaceProblem(tenv: TemplateEnv, ns: string, member: string, src?: string): { message: string; hint?: string } | undefined {
  const pkg = tenv.packageEnvs().get(ns);
  if (pkg) {
    return {
      message: `package \`${ns}\` has no macro \`${member}\``,
      hint: didYouMean(member, pkg.ownMacroNames()) ?? `its macros are: ${pkg.ownMacroNames().sort().slice(0, 12).join(', ')}`,
    };
  }
  const hint = tenv.unknownNamespaceHint?.(ns);
  if (hint) return { message: `macro \`${ns}.${member}\` is from package \`${ns}\`, which is not installed`, hint };
  // Only for a name nothing defines: not a global (adapter, a macro, ...), not set by the template.
  const globals = (tenv.env as unknown as { globals: Record<string, unknown> }).globals;
  if (ns in globals || (src && new RegExp(`\\b(set|for|as|import)\\s+[^%]*\\b${ns}\\b|macro\\s+\\w+\\s*\\([^)]*\\b${ns}\\b`).test(src))) return undefined;
  // The call is not in this template's text: it ran inside a macro, where `ns` is most likely a
  // variable (`{% for col in cols %}{{ col.string_size() }}`), not a missing package.
  if (!src || !new RegExp(`\\b${ns}\\s*\\.\\s*${member}\\s*\\(`).test(src)) {
    return {
      message: `cannot call \`${ns}.${member}()\` in a macro this template calls: \`${ns}\` has no \`${member}\``,
      hint: `if \`${ns}\` is a value there, it lacks that method in cairn (please report it); if it is a package, add it to packages.yml and run \`cairn deps\``,
    };
  }
  const installed = [...tenv.packageEnvs().keys()];
  return {
    message: `cannot call \`${ns}.${member}\`: \`${ns}\` is not an installed package${installed.length ? ` (installed: ${installed.sort().join(', ')})` : ''}`,
    hint: `if \`${ns}\` is a package, add it to packages.yml and run \`cairn deps\``,
  };
}

