import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

let temporaryCounter = 0;

/**
 * Writes `bytes` to `path` so that a reader sees either the old file or the new one, never a part:
 * a temporary file in the same directory, fsync, rename over `path`, fsync the directory. On failure
 * the temporary file is removed and the error is rethrown. Every snapshot and model file Quarry
 * writes goes through here.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${process.pid}.${++temporaryCounter}.tmp`;
  try {
    const file = await open(temporary, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/**
 * fsync of the directory makes the rename itself durable (POSIX). Some file systems refuse to fsync a
 * directory (EISDIR, EINVAL, EPERM): the file's own fsync is then all there is, so only those are ignored.
 */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM') throw error;
  } finally {
    await handle.close();
  }
}
