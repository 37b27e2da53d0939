import { storeSuite } from './testing/store-suite';
import { pgliteHarness } from './testing/harness';

// One PGlite database for the whole file (starting one is slow); every test uses its own tenant.
storeSuite('audit store on PGlite', pgliteHarness);
