import { pgliteHarness } from './testing/harness';
import { witnessSuite } from './testing/witness-suite';

witnessSuite('witnesses on PGlite', pgliteHarness);
