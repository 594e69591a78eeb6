'use strict';
// A compile cache for the CLI bundle: V8 keeps the bytecode of what it compiled, and the next
// start reads it instead of compiling again (README, Development: start-up).
// - Node 22.1 and newer: Node's own, module.enableCompileCache().
// - Node 20: the same idea by hand for the bundle's files only: each file is compiled with the
//   cached data V8 made of it last time (vm.Script cachedData), and the data of whatever was
//   compiled afresh is written when the process exits.
// The cache lives in the user's cache directory (XDG_CACHE_HOME, else ~/.cache; macOS
// ~/Library/Caches; Windows %LOCALAPPDATA%), in trapheus/compile-cache/, a directory only its
// owner may write to. NODE_DISABLE_COMPILE_CACHE (Node's own switch) turns both off. A cache
// that cannot be read or written costs the time it would have saved, nothing more: no error,
// no message. V8 refuses data made by another V8 version or with other flags, and checks only
// the length of the source, so a file's data is stored under the file's name, which carries a
// hash of its content (scripts/bundle.mjs); data of other builds is removed.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

/** The base directory of the cache, or undefined when it is turned off. */
function cacheBase(env) {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  let home = env.XDG_CACHE_HOME;
  if (!home) {
    const user = env.HOME || require('node:os').homedir();
    if (process.platform === 'darwin') home = path.join(user, 'Library', 'Caches');
    else if (process.platform === 'win32') home = env.LOCALAPPDATA || path.join(user, 'AppData', 'Local');
    else home = path.join(user, '.cache');
  }
  return path.join(home, 'trapheus', 'compile-cache');
}

/** Creates `dir` (owner only) if need be; true when it is a real directory no one else may write to. */
function privateDir(dir) {
  try {
    let stat;
    try {
      stat = fs.lstatSync(dir);
    } catch {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      stat = fs.lstatSync(dir);
    }
    if (!stat.isDirectory()) return false;
    if (typeof process.getuid === 'function' && (stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0)) return false;
    return true;
  } catch {
    return false;
  }
}

/**
 * Turns the cache on for the files of `bundleDir`. Returns where it keeps them (undefined: off).
 * `buildId` names the bundle's build (its entry file): data of every other build is removed
 * when a new build first writes its own.
 */
function enableCompileCache(bundleDir, buildId, env = process.env) {
  const base = cacheBase(env);
  if (base === undefined) return undefined;
  if (typeof Module.enableCompileCache === 'function') {
    try {
      const result = Module.enableCompileCache(base);
      return result && result.directory ? result.directory : undefined;
    } catch {
      return undefined;
    }
  }
  const dir = path.join(base, `${buildId}-${process.version}-${process.arch}`);
  const existed = fs.existsSync(dir);
  if (!privateDir(dir)) return undefined;
  if (!existed) removeOtherBuilds(base, path.basename(dir));
  hookCompile(path.resolve(bundleDir) + path.sep, dir);
  return dir;
}

/** Removes the data of other builds (or Node versions) beside `keep`, if `base` is ours as `keep` is. */
function removeOtherBuilds(base, keep) {
  try {
    if (!privateDir(base)) return;
    for (const name of fs.readdirSync(base)) {
      if (name !== keep) fs.rmSync(path.join(base, name), { recursive: true, force: true });
    }
  } catch {
    // Another process may be removing them too.
  }
}

/** Node 20: compiles the files under `prefix` with (and for) the cached data in `dir`. */
function hookCompile(prefix, dir) {
  const vm = require('node:vm');
  const compile = Module.prototype._compile;
  const fresh = [];
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (!filename.startsWith(prefix)) return compile.call(this, content, filename);
    const dataFile = path.join(dir, `${path.basename(filename)}.v8`);
    let cachedData;
    try {
      cachedData = fs.readFileSync(dataFile);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), {
      filename,
      cachedData,
      importModuleDynamically: vm.constants ? vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER : undefined,
    });
    if (cachedData === undefined || script.cachedDataRejected) fresh.push({ script, dataFile });
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, requireOf(this, filename), this, filename, path.dirname(filename));
  };
  // At exit the data covers every function compiled during the run, not only the top level.
  process.once('exit', () => {
    for (const { script, dataFile } of fresh) {
      const temporary = `${dataFile}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(temporary, dataFile);
      } catch {
        try {
          fs.rmSync(temporary, { force: true });
        } catch {
          // Nothing more to do: the next start compiles afresh.
        }
      }
    }
  });
}

/** The `require` a module's code is given (as Node's own loader makes it). */
function requireOf(module, filename) {
  const require = (id) => module.require(id);
  const resolver = Module.createRequire(filename);
  require.resolve = resolver.resolve;
  require.cache = resolver.cache;
  require.main = resolver.main;
  return require;
}

module.exports = { enableCompileCache, cacheBase };
