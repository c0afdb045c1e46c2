// Child process of the rekey tests. `login DIR USER PASSWORD`: waits for "go" on stdin, tries once, prints the outcome.
// `rotate DIR`: logs in as ada and rotates the database key for ever (role removal, reset, disable), until killed.
import { createInterface } from 'node:readline';
import { disableUser, enableUser, resetPassword, setRoles } from '../../electron/core/govern/users';
import { requireUser } from '../../electron/core/govern/users-repo';
import { unlockWorkspace } from '../../electron/core/store/workspace';
import { KDF, PASSWORDS } from './rekey-fixture';

async function login(dir: string, username: string, password: string): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  console.log('ready');
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  try {
    const { workspace } = await unlockWorkspace(dir, username, password, { kdf: KDF });
    workspace.close();
    console.log('RESULT OK');
  } catch (err) {
    console.log(`RESULT ${typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : String(err)}`);
  }
  lines.close();
}

async function rotate(dir: string): Promise<void> {
  const { workspace: ws, user: ada } = await unlockWorkspace(dir, 'ada', PASSWORDS.ada, { kdf: KDF });
  console.log('ready');
  for (let i = 0; ; i += 1) {
    const ritaActive = requireUser(ws.db, 'rita').status === 'active';
    if (i % 3 === 0) {
      setRoles(ws, ada, 'sam', ['steward', 'reviewer']);
      setRoles(ws, ada, 'sam', ['steward']);
    } else if (!ritaActive) await enableUser(ws, ada, 'rita', PASSWORDS.rita);
    else if (i % 3 === 1) await resetPassword(ws, ada, 'rita', PASSWORDS.rita);
    else disableUser(ws, ada, 'rita');
    console.log(`rotated ${i}`);
  }
}

const [mode, dir = '', user = '', password = ''] = process.argv.slice(2);
if (mode === 'login') await login(dir, user, password);
else if (mode === 'rotate') await rotate(dir);
else throw new Error(`unknown mode ${String(mode)}`);
