/**
 * Test-only child process: opens an embedded audit database (PGlite) the way the app does, says "open", and holds
 * it until its standard input ends (then closes it and exits) or it is killed.
 */
import { pgliteDriver } from '../driver-pglite';

const driver = await pgliteDriver(process.argv[2]);
await driver.query('SELECT 1');
process.stdout.write('open\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void driver.close().then(() => process.exit(0));
});
