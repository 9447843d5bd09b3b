// Runs a script as another user: node run-as.mjs UID GID SCRIPT [ARGS...]. The tests of a
// read-only database use it when they run as root, whom file modes do not stop.
import {pathToFileURL} from 'node:url';

const [uid, gid, script, ...args] = process.argv.slice(2);
process.setgroups([]);
process.setgid(Number(gid));
process.setuid(Number(uid));
process.argv = [process.argv[0], script, ...args];
await import(pathToFileURL(script).href);
