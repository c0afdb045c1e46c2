// A password an admin set is temporary (issue #8): tests that go on to act as such a user first make it their own,
// ending on the same text so the rest of the test can type it again (sign-offs ask for it).
import type { AirlockService } from '../electron/core/api/service';

export async function loginOwn(svc: AirlockService, path: string, username: string, password: string): Promise<void> {
  const info = await svc.call('session:login', { path, username, password });
  if (!info.mustChangePassword) return;
  const interim = `${password} (interim)`;
  await svc.call('session:changePassword', { currentPassword: password, newPassword: interim });
  await svc.call('session:changePassword', { currentPassword: interim, newPassword: password });
}
