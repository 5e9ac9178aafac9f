// Loaded before every test file (vitest.config.ts setupFiles): the temp projects a file made with
// makeProject / copySample are removed when the file's tests are done, whether or not it cleans up.
import { afterAll } from 'vitest';
import { removeMadeProjects } from './project.js';

afterAll(() => removeMadeProjects());
