// Migrations after 8, one file each (migrations.ts holds 1–8): numbered, append-only, never edited once shipped.
import { migration009 } from './009-temporary-passwords';
import { migration010 } from './010-image-classes';
import { migration011 } from './011-rule-checks';
import { migration012 } from './012-dicom-patients';
import { migration013 } from './013-audit-signatures';
import { migration014 } from './014-sealed-sources';

export const LATER_MIGRATIONS = [migration009, migration010, migration011, migration012, migration013, migration014];
