/**
 * Whether the divergence log can be written: checked when a shadow-mode database opens (an error
 * then), every second by the mirror worker (reported in its progress row), and by `status`.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Why `file` cannot be appended to, or undefined when it can. */
export function whyUnwritable(file: string): string | undefined {
  const dir = path.dirname(path.resolve(file));
  try {
    if (!fs.statSync(dir).isDirectory()) return `${dir} is not a folder`;
  } catch {
    return `the folder ${dir} does not exist`;
  }
  const exists = fs.existsSync(file);
  try {
    fs.accessSync(exists ? file : dir, fs.constants.W_OK);
  } catch {
    return exists ? 'no permission to write the file' : `no permission to create a file in ${dir}`;
  }
  return undefined;
}
