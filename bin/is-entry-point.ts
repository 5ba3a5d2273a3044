import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const realpath = (file: string | undefined) => {
  try {
    return file ? realpathSync(file) : null;
  } catch {
    return null;
  }
};

/**
 * True when the module at `moduleUrl` is the script node was started with, so a file that is both a
 * command and a library (the admin CLI and the tests import its functions) runs only as the former.
 */
export const isEntryPoint = (moduleUrl: string): boolean =>
  realpath(process.argv[1]) === realpath(fileURLToPath(moduleUrl));
