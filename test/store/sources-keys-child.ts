// Child process of the sources-key SIGKILL test: logs in as ada (admin and steward, holding the sources key) and
// rotates the sources key for ever (tom loses the steward role, then gets it back and the key at once), until killed.
import { setRoles } from '../../electron/core/govern/users';
import { requireUser } from '../../electron/core/govern/users-repo';
import { login } from './sources-keys-fixture';

const [dir = ''] = process.argv.slice(2);
const { workspace: ws } = await login(dir, 'ada');
console.log('ready');
for (let i = 0; ; i += 1) {
  const steward = requireUser(ws.db, 'tom').roles.includes('steward');
  setRoles(ws, requireUser(ws.db, 'ada'), 'tom', steward ? ['reviewer'] : ['reviewer', 'steward']);
  console.log(`${steward ? 'rotated' : 'granted'} ${i}`);
}
