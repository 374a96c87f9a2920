import { appendFile, close, fsync, mkdir, open, readFile, rename, rmdir, unlink, write, writeFile } from 'node:fs';

/**
 * Promise wrappers over the callback fs API for the agent's per-launch checkpoint I/O. Still asynchronous (the
 * libuv pool does the work), but about half the CPU of `fs/promises` per call on this VM (measured ~60-100 µs
 * against ~150-180 µs: fs/promises builds and tears down a FileHandle per call), which matters at hundreds of
 * launches per second. Errors are the usual ErrnoExceptions.
 */
function call<T>(start: (done: (e: NodeJS.ErrnoException | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((e, value) => (e ? reject(e) : resolve(value as T))));
}

export const appendText = (path: string, text: string): Promise<void> => call((done) => appendFile(path, text, done));
export const writeText = (path: string, text: string): Promise<void> => call((done) => writeFile(path, text, done));
export const readText = (path: string): Promise<string> => call((done) => readFile(path, 'utf8', done));
export const makeDir = (path: string): Promise<void> => call((done) => mkdir(path, { recursive: true }, (e) => done(e)));
export const renamePath = (from: string, to: string): Promise<void> => call((done) => rename(from, to, done));
export const unlinkPath = (path: string): Promise<void> => call((done) => unlink(path, done));
export const removeEmptyDir = (path: string): Promise<void> => call((done) => rmdir(path, done));
export const openFile = (path: string, flags: string): Promise<number> => call((done) => open(path, flags, 0o644, done));
export const closeFile = (fd: number): Promise<void> => call((done) => close(fd, (e) => done(e)));
export const syncFile = (fd: number): Promise<void> => call((done) => fsync(fd, (e) => done(e)));

/** Writes all of `data` at the file's current position (its end for a file opened with 'a'). */
export async function writeAll(fd: number, data: Buffer): Promise<void> {
  for (let offset = 0; offset < data.length; ) {
    offset += await call<number>((done) => write(fd, data, offset, data.length - offset, null, done));
  }
}
