import { pgliteHarness } from './testing/harness';
import { patientFinderSuite } from './testing/patient-finder-suite';

patientFinderSuite('patient finder on PGlite', pgliteHarness);
