// What to tell a user whose template calls `<name>.<macro>(...)` when `<name>` holds no such macro.
// Kept apart from hints.ts: the renderer imports this, and it must not pull the package loader in.
import type { TemplateEnv } from '../templating/environment.js';
import { didYouMean } from '../util/did-you-mean.js';

/** A message and hint for `ns.member` that could not be called, when cairn knows better than nunjucks. */
export function namespaceProblem(tenv: TemplateEnv, ns: string, member: string): { message: string; hint?: string } | undefined {
  const pkg = tenv.packages().get(ns);
  if (pkg) {
    return {
      message: `package \`${ns}\` has no macro \`${member}\``,
      hint: didYouMean(member, pkg.ownMacroNames()) ?? `its macros are: ${pkg.ownMacroNames().sort().slice(0, 12).join(', ')}`,
    };
  }
  const hint = tenv.unknownNamespaceHint?.(ns);
  return hint ? { message: `macro \`${ns}.${member}\` is from package \`${ns}\`, which is not installed`, hint } : undefined;
}

