// Channel names alone, free of zod, so the sandboxed preload stays a few lines.
export const CHANNELS = [
  'app:info',
  'workspace:probe',
  'workspace:create',
  'workspace:chooseFolder',
  'session:login',
  'session:logout',
  'session:status',
  'session:touch',
  'session:changePassword',
  'users:list',
  'users:add',
  'users:disable',
  'users:enable',
  'users:resetPassword',
  'users:setRoles',
  'audit:list',
  'audit:verify',
  'settings:get',
  'settings:update',
] as const;
export type Channel = (typeof CHANNELS)[number];
