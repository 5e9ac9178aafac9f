// Options every programmatic entry point takes (the CLI's common flags map 1:1 onto these).
import type { AdapterProvider } from '../../adapters/adapter.js';
import type { RunEvent } from '../execute/events.js';
import type { RunContextOptions } from '../project/types.js';
import type { IndirectSelection } from '../tests/indirect-selection.js';

export interface CommonOptions extends RunContextOptions {
  adapters: AdapterProvider;
  select?: string[];
  exclude?: string[];
  onEvent?: (e: RunEvent) => void;
  /** `--state DIR`: an earlier run's target folder, for `state:`/`result:` selectors and `--defer`. */
  state?: string;
  /** `--warn-error`: every warning of the parse is an error (as dbt's global flag). */
  warnError?: boolean;
  /** `--selector NAME`: a named selection from selectors.yml. */
  selector?: string;
  /** `--indirect-selection`: which tests come along with selected nodes (dbt's modes; default eager). */
  indirectSelection?: IndirectSelection;
}
